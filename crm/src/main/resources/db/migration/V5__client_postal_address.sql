-- The sender's postal address, printed in the footer of every email (CAN-SPAM asks for one).
-- Optional: a client without one gets the unsubscribe link alone.
alter table clients add column postal_address text;
