-- API keys with scopes, a non-secret prefix for listing, and per-client abuse limits.
-- V1 already has created_at and revoked_at on api_keys; a revoked key stays as a row (revoked_at set)
-- so that listings show when it stopped working.

-- READ keys may only read (GET); FULL keys may do everything a client can. Existing keys (the dev
-- seed, test fixtures) keep working as FULL.
alter table api_keys add column scope text not null default 'FULL' check (scope in ('READ', 'FULL'));

-- The first characters of the key, shown in listings so an operator can tell keys apart without
-- the secret. Keys made before this version have none.
alter table api_keys add column prefix text;

create index api_keys_client on api_keys (client_id, id);

-- The most leads one campaign of this client may hold; null takes the configured default
-- (outbound.limits.max-leads-per-campaign).
alter table clients add column max_leads_per_campaign int check (max_leads_per_campaign > 0);
