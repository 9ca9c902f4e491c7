-- Outbound CRM schema, version 1.
-- Every row that belongs to a client carries client_id, and every query filters on it. Child tables
-- repeat client_id (rather than reaching it through joins) so that scoping is a plain predicate and a
-- composite foreign key makes a row of one client unable to point at another client's row.

create table clients (
    id          bigserial primary key,
    slug        text        not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text        not null,
    created_at  timestamptz not null default now()
);

-- API keys are stored as SHA-256 hashes of the key; the key itself is shown once and never stored.
create table api_keys (
    id          bigserial primary key,
    client_id   bigint      not null references clients (id),
    key_hash    bytea       not null unique,
    label       text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create table mailboxes (
    id                  bigserial primary key,
    client_id           bigint      not null references clients (id),
    email               text        not null,
    display_name        text        not null,
    smtp_host           text        not null,
    smtp_port           int         not null check (smtp_port between 1 and 65535),
    smtp_username       text,
    smtp_password_enc   text,
    smtp_tls            boolean     not null,
    imap_host           text,
    imap_port           int check (imap_port between 1 and 65535),
    imap_username       text,
    imap_password_enc   text,
    imap_tls            boolean     not null default false,
    daily_cap           int         not null check (daily_cap > 0),
    min_gap_seconds     int         not null check (min_gap_seconds >= 0),
    status              text        not null default 'ACTIVE' check (status in ('ACTIVE', 'PAUSED')),
    created_at          timestamptz not null default now(),
    unique (client_id, id),
    unique (client_id, email)
);

create table campaigns (
    id          bigserial primary key,
    client_id   bigint      not null references clients (id),
    name        text        not null,
    timezone    text        not null,
    status      text        not null default 'DRAFT'
                check (status in ('DRAFT', 'ACTIVE', 'PAUSED', 'STOPPED')),
    created_at  timestamptz not null default now(),
    started_at  timestamptz,
    unique (client_id, id)
);

create table campaign_mailboxes (
    client_id   bigint not null,
    campaign_id bigint not null,
    mailbox_id  bigint not null,
    primary key (campaign_id, mailbox_id),
    foreign key (client_id, campaign_id) references campaigns (client_id, id),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id)
);

create table sequence_steps (
    client_id     bigint not null,
    campaign_id   bigint not null,
    step_index    int    not null check (step_index >= 1),
    delay_seconds bigint not null check (delay_seconds >= 0),
    subject       text   not null,
    body          text   not null,
    primary key (campaign_id, step_index),
    foreign key (client_id, campaign_id) references campaigns (client_id, id)
);

-- A lead is a person a client reaches out to; the same person can be enrolled in several campaigns.
create table leads (
    id          bigserial primary key,
    client_id   bigint      not null references clients (id),
    email       text        not null,
    first_name  text,
    last_name   text,
    company     text,
    timezone    text,
    fields      jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    unique (client_id, id)
);
create unique index leads_client_email on leads (client_id, lower(email));

-- An enrolment is a lead in one campaign, with its sequence state. The API calls it "lead" and uses its
-- id as the lead ID, because everything the API says about a lead is about it within one campaign.
create table enrolments (
    id              bigserial primary key,
    client_id       bigint      not null,
    campaign_id     bigint      not null,
    lead_id         bigint      not null,
    mailbox_id      bigint,
    status          text        not null default 'PENDING'
                    check (status in ('PENDING', 'ACTIVE', 'PAUSED', 'HELD', 'COMPLETED', 'REPLIED',
                                      'BOUNCED', 'UNSUBSCRIBED', 'MEETING_BOOKED', 'STOPPED', 'FAILED')),
    current_step    int         not null default 0,
    next_send_at    timestamptz,
    last_outcome    text,
    started_at      timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (client_id, id),
    unique (campaign_id, lead_id),
    foreign key (client_id, campaign_id) references campaigns (client_id, id),
    foreign key (client_id, lead_id) references leads (client_id, id),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id)
);
create index enrolments_campaign_status on enrolments (campaign_id, status, id);
create index enrolments_not_started on enrolments (campaign_id, id) where started_at is null;

-- The send ledger: one row per (campaign, lead, step), claimed before SMTP is spoken to.
-- SENDING: claimed, outcome unknown until marked. SENT: SMTP accepted it. FAILED: permanently rejected.
-- AMBIGUOUS: a claim found unfinished by a retry; never re-sent silently (DESIGN.md section 2).
create table send_ledger (
    id              bigserial primary key,
    client_id       bigint      not null,
    campaign_id     bigint      not null,
    enrolment_id    bigint      not null,
    step_index      int         not null,
    mailbox_id      bigint      not null,
    message_id      text        not null unique,
    status          text        not null check (status in ('SENDING', 'SENT', 'FAILED', 'AMBIGUOUS')),
    claimed_at      timestamptz not null default now(),
    sent_at         timestamptz,
    error           text,
    unique (campaign_id, enrolment_id, step_index),
    foreign key (client_id, enrolment_id) references enrolments (client_id, id),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id)
);
create index send_ledger_campaign_step on send_ledger (campaign_id, step_index, status);

-- The per-lead timeline: everything the system did with a lead, and why.
create table lead_events (
    id              bigserial primary key,
    client_id       bigint      not null,
    enrolment_id    bigint      not null,
    at              timestamptz not null default clock_timestamp(),
    type            text        not null,
    step            int         not null default 0,
    detail          text,
    foreign key (client_id, enrolment_id) references enrolments (client_id, id)
);
create index lead_events_enrolment on lead_events (enrolment_id, id);
