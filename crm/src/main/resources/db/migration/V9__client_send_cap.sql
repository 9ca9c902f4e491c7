-- The most emails one client may send per UTC day, over all its campaigns and mailboxes; null takes
-- the configured default (outbound.limits.max-sends-per-client-per-day). A send over the cap is
-- deferred to the next UTC day, never dropped.
alter table clients add column max_sends_per_day int check (max_sends_per_day > 0);

-- Counting a client's claims since midnight, in the send activity before each claim.
create index send_ledger_client_claimed on send_ledger (client_id, claimed_at);
