-- Outbound CRM schema, version 2: support for mailbox assignment and for safe retries of sends.

-- Mailbox assignment (SendContextStore.assignMailbox) counts a client's unfinished enrolments per
-- mailbox of the campaign's pool. The predicate is the non-terminal statuses, spelled exactly as the
-- query spells them (EnrolmentStore.NON_TERMINAL_SQL), so that the planner can prove it and answer the
-- count from this small index (index-only) instead of scanning the client's enrolments.
create index enrolments_open_by_mailbox on enrolments (client_id, mailbox_id)
    where status in ('PENDING', 'ACTIVE', 'PAUSED', 'HELD');

-- Whether a SENDING claim may have handed the email's content to SMTP. A claim is inserted with
-- false and set to true right before the content goes to the server (SendLedgerStore.markContentStarted).
-- A retry that finds a SENDING row with false knows nothing can have been delivered and may send again;
-- true stays AMBIGUOUS (never re-sent silently). The default is the safe value: rows from before this
-- version, and rows claimed by a worker that predates it, count as "may have been sent".
alter table send_ledger add column content_started boolean not null default true;
