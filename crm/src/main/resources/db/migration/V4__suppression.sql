-- Outbound CRM schema, version 4: the suppression list.
-- A suppressed address or domain receives nothing more from the client, whatever campaign it is in:
-- the import checks the list, and the send activity checks it again right before it claims a send, so
-- an unsubscribe or a hard bounce that races a send still wins (DESIGN.md section 2).
--
-- kind ADDRESS: value is a whole address; kind DOMAIN: value is a domain, and it also suppresses every
-- subdomain of it (a lookup asks for the address's domain and each of its parents). Values are stored
-- lower-cased (domains in their ASCII form), so the unique constraint is case-insensitive and equality
-- lookups can use its index: (client_id, kind, value) answers "is any of these suppressed?" directly.
-- This version depends only on V1 (clients).

create table suppressions (
    id          bigserial primary key,
    client_id   bigint      not null references clients (id),
    kind        text        not null check (kind in ('ADDRESS', 'DOMAIN')),
    value       text        not null check (value = lower(value) and length(value) between 1 and 320),
    reason      text        not null check (reason in ('UNSUBSCRIBED', 'HARD_BOUNCE', 'MANUAL', 'COMPLAINT')),
    -- Where it came from, for operators: e.g. "unsubscribe link, lead 345" or "bounce 5.1.1, lead 12".
    source      text,
    created_at  timestamptz not null default now(),
    unique (client_id, kind, value)
);
