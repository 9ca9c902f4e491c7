-- Outbound CRM schema, version 6: what comes back to the mailboxes.
--
-- inbox_cursors: where each mailbox's INBOX reading stands (RFC 3501 UIDVALIDITY and the highest UID
-- processed). It moves in the same transaction as the messages it covers are recorded, so a crash
-- repeats at most the batch in hand, and inbound_messages drops that repeat.
--
-- inbound_messages: one row per message read, with what it was and what was done. The primary
-- dedup key is (mailbox, UIDVALIDITY, UID); a second one, the Message-ID, catches the same message
-- read again after the server reassigned UIDs (a UIDVALIDITY change restarts the reading).
--
-- lead_signals: an outbox of workflow signals. What a message means is committed first (the lead's
-- status, the suppression list); the signal that tells the lead's workflow is written in the same
-- transaction and sent afterwards, and sent again until it is marked sent, so a crash between the
-- commit and the signal loses nothing.
--
-- send_ledger.bounced_at / bounce_type: which sends bounced, for a mailbox's bounce rate over its
-- last sends. mailboxes.paused_reason / paused_at: why a mailbox was paused (automatically for
-- bounces or a refused login, or by an operator). campaigns.stop_company_on_reply: a reply stops
-- the campaign's other leads at the same company domain.

create table inbox_cursors (
    mailbox_id      bigint      primary key,
    client_id       bigint      not null,
    uid_validity    bigint      not null check (uid_validity >= 0),
    last_uid        bigint      not null check (last_uid >= 0),
    updated_at      timestamptz not null default now(),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id) on delete cascade
);

create table inbound_messages (
    id              bigserial   primary key,
    client_id       bigint      not null,
    mailbox_id      bigint      not null,
    uid_validity    bigint      not null,
    uid             bigint      not null,
    message_id      text,
    received_at     timestamptz,
    read_at         timestamptz not null default now(),
    kind            text        not null check (kind in ('REPLY', 'OUT_OF_OFFICE', 'AUTO_REPLY',
                                    'HARD_BOUNCE', 'SOFT_BOUNCE', 'UNSUBSCRIBE', 'UNKNOWN')),
    enrolment_id    bigint,
    step_index      int,
    -- How the message was matched: MESSAGE_ID (In-Reply-To, References or a bounce's original),
    -- SENDER (the From address of an active lead), TOKEN (a mailto unsubscribe), or null.
    matched_by      text check (matched_by in ('MESSAGE_ID', 'SENDER', 'TOKEN')),
    -- What was done, for operators (no message content).
    action          text        not null,
    unique (mailbox_id, uid_validity, uid),
    foreign key (client_id, mailbox_id) references mailboxes (client_id, id) on delete cascade,
    foreign key (client_id, enrolment_id) references enrolments (client_id, id)
);
create unique index inbound_messages_message_id on inbound_messages (mailbox_id, message_id)
    where message_id is not null;
create index inbound_messages_enrolment on inbound_messages (enrolment_id, kind)
    where enrolment_id is not null;

create table lead_signals (
    id              bigserial   primary key,
    client_id       bigint      not null,
    campaign_id     bigint      not null,
    enrolment_id    bigint      not null,
    signal          text        not null check (signal in ('REPLIED', 'BOUNCED', 'UNSUBSCRIBED',
                                    'MEETING_BOOKED', 'CAMPAIGN_STOPPED', 'OUT_OF_OFFICE_UNTIL',
                                    'RESUME')),
    -- OUT_OF_OFFICE_UNTIL: the instant (epoch milliseconds) no step may go out before.
    argument        bigint,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    attempts        int         not null default 0,
    foreign key (client_id, enrolment_id) references enrolments (client_id, id)
);
create index lead_signals_pending on lead_signals (id) where sent_at is null;

alter table send_ledger add column bounced_at timestamptz;
alter table send_ledger add column bounce_type text check (bounce_type in ('HARD', 'SOFT'));
create index send_ledger_mailbox_recent on send_ledger (mailbox_id, sent_at desc)
    where status = 'SENT';

alter table mailboxes add column paused_reason text;
alter table mailboxes add column paused_at timestamptz;

alter table campaigns add column stop_company_on_reply boolean not null default false;
