-- Outbound CRM schema, version 3: deliverability. Send windows per campaign, mailbox pacing (jitter,
-- warm-up, the time zone whose calendar day the daily cap counts in), lead countries for public
-- holidays, A/B variants per step, and mailbox reservations that make caps hold across workers and
-- crashes (dev.outbound.crm.capacity.MailboxCapacityStore).

-- Mailbox pacing. jitter_seconds is added at random (uniformly in [0, jitter_seconds]) to the minimum
-- gap before each send. Warm-up: the cap of a day is min(daily_cap, warmup_start_cap + days since
-- warmup_started_on * warmup_daily_increase); all three are set together or none is (no warm-up).
alter table mailboxes
    add column jitter_seconds        int  not null default 0 check (jitter_seconds >= 0),
    add column warmup_start_cap      int,
    add column warmup_daily_increase int,
    add column warmup_started_on     date,
    add column timezone              text not null default 'UTC',
    add constraint mailboxes_warmup check (
        (warmup_start_cap is null and warmup_daily_increase is null and warmup_started_on is null)
        or (warmup_start_cap > 0 and warmup_daily_increase >= 0 and warmup_started_on is not null));

-- The campaign's send window, evaluated in each lead's time zone (the campaign's when the lead has
-- none). window_days is the list that dev.outbound.crm.schedule.SendWindow formats: three-letter
-- day names in upper case, separated by commas. All three window columns are null when the campaign
-- has no window (it may send at any time), so campaigns created before windows existed keep sending
-- as they did. domain_hourly_limit caps the emails of the client to one recipient domain in any
-- rolling hour; null means no throttle.
alter table campaigns
    add column window_days         text
        check (window_days ~ '^(MON|TUE|WED|THU|FRI|SAT|SUN)(,(MON|TUE|WED|THU|FRI|SAT|SUN))*$'),
    add column window_start        time,
    add column window_end          time,
    add column skip_holidays       boolean not null default false,
    add column domain_hourly_limit int     check (domain_hourly_limit > 0),
    add constraint campaigns_window check (
        (window_days is null and window_start is null and window_end is null)
        or (window_days is not null and window_start is not null and window_end is not null
            and window_end > window_start));

-- The lead's country (ISO 3166-1 alpha-2, upper case), for public holidays.
alter table leads add column country text check (country ~ '^[A-Z]{2}$');

-- A/B variants of a step. A lead gets one variant per step, chosen deterministically from its ID;
-- the send ledger records which one went out, for per-variant counts.
create table step_variants (
    client_id   bigint not null,
    campaign_id bigint not null,
    step_index  int    not null,
    variant     text   not null check (variant ~ '^[A-Z]$'),
    subject     text   not null,
    body        text   not null,
    primary key (campaign_id, step_index, variant),
    foreign key (client_id, campaign_id) references campaigns (client_id, id),
    foreign key (campaign_id, step_index) references sequence_steps (campaign_id, step_index)
);

alter table send_ledger add column variant text check (variant ~ '^[A-Z]$');

-- A mailbox reservation: the slot at which one (campaign, lead, step) may be sent from a mailbox.
-- RESERVED: held, not yet sent. USED: the send happened (or is under way). RELEASED: given back (the
-- lead stopped or paused); its capacity counts again, and a later reservation of the same step
-- reuses the row. cap_day is the mailbox's calendar day of slot_at, in the mailbox's time zone at
-- the time of the reservation: the day whose cap the reservation counts against.
create table mailbox_reservations (
    id               bigserial   primary key,
    client_id        bigint      not null,
    campaign_id      bigint      not null,
    enrolment_id     bigint      not null,
    step_index       int         not null check (step_index >= 1),
    mailbox_id       bigint      not null,
    slot_at          timestamptz not null,
    cap_day          date        not null,
    recipient_domain text        not null,
    status           text        not null default 'RESERVED'
                     check (status in ('RESERVED', 'USED', 'RELEASED')),
    created_at       timestamptz not null default now(),
    unique (campaign_id, enrolment_id, step_index),
    foreign key (client_id, campaign_id) references campaigns (client_id, id),
    foreign key (client_id, enrolment_id) references enrolments (client_id, id),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id)
);
-- The searches only ever look at reservations that hold capacity, so the indexes leave released
-- rows out (their predicate is spelled as the queries spell it).
create index mailbox_reservations_day on mailbox_reservations (mailbox_id, cap_day)
    where status <> 'RELEASED';
create index mailbox_reservations_slot on mailbox_reservations (mailbox_id, slot_at)
    where status <> 'RELEASED';
create index mailbox_reservations_domain on mailbox_reservations (client_id, recipient_domain, slot_at)
    where status <> 'RELEASED';
create index mailbox_reservations_enrolment on mailbox_reservations (client_id, enrolment_id);

-- How many reservations that hold capacity (RESERVED or USED) each mailbox has on each of its days.
-- Kept in step with mailbox_reservations in the same transactions, so that finding the first day
-- with room reads one row per day instead of counting every reservation of a long backlog.
create table mailbox_day_counts (
    client_id  bigint not null,
    mailbox_id bigint not null,
    cap_day    date   not null,
    reserved   int    not null check (reserved >= 0),
    primary key (mailbox_id, cap_day),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id)
);
