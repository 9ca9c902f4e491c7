-- Outbound CRM schema, version 10: real mailboxes (Google Workspace, Microsoft 365) by OAuth2.
--
-- mailboxes.auth: PASSWORD (SMTP AUTH / IMAP LOGIN with a password) or OAUTH2 (SASL XOAUTH2 with an
-- access token). mailboxes.provider: GOOGLE, MICROSOFT or CUSTOM (the vocabulary's MailProvider has
-- the published hosts, ports and endpoints). For OAUTH2, oauth_grant says where its tokens come
-- from: AUTHORIZATION_CODE (a person consented for this mailbox: the refresh token is stored,
-- encrypted like passwords, and never shown) or APP_ONLY (a client-credentials or domain-wide
-- delegation grant configured once for the mailbox's domain in oauth_app_only_domains).
-- oauth_token_endpoint: a CUSTOM provider's token endpoint (checked against the host policy).
--
-- mailboxes.allow_plaintext: TLS is required for every host that is not loopback unless a mailbox
-- opts out here. Mailboxes made before this version that talk without TLS keep doing so (they are
-- marked as opted out below, and the API shows it), so the upgrade changes no running campaign.
--
-- mailboxes.files_sent_copies: the server files every message accepted over SMTP in the account's
-- Sent folder (the provider presets, or an operator's opt-in), so an ambiguous send can be settled by
-- searching that folder for its Message-ID.
--
-- mailboxes.imap_unreachable_since: since when the IMAP server could not be reached (null when the
-- last session reached it); a mailbox unreachable for too long is paused.
--
-- oauth_apps: a client's own OAuth app per provider (an agency often registers one per client); the
-- platform's default app comes from configuration. oauth_authorizations: the state of each consent
-- started through the API (authorization code with PKCE), kept as a hash, used once, short-lived.

alter table mailboxes
    add column auth                    text    not null default 'PASSWORD'
                                        check (auth in ('PASSWORD', 'OAUTH2')),
    add column provider                text    not null default 'CUSTOM'
                                        check (provider in ('GOOGLE', 'MICROSOFT', 'CUSTOM')),
    add column oauth_grant             text    check (oauth_grant in ('AUTHORIZATION_CODE', 'APP_ONLY')),
    add column oauth_refresh_token_enc text,
    add column oauth_token_endpoint    text,
    add column allow_plaintext         boolean not null default false,
    add column files_sent_copies       boolean not null default false,
    add column imap_unreachable_since  timestamptz,
    add constraint mailboxes_oauth_grant
        check ((auth = 'OAUTH2') = (oauth_grant is not null)),
    add constraint mailboxes_custom_token_endpoint
        check (auth <> 'OAUTH2' or provider <> 'CUSTOM' or oauth_token_endpoint is not null);

update mailboxes set allow_plaintext = true
 where not smtp_tls or (imap_host is not null and not imap_tls);

create table oauth_apps (
    client_id              bigint      not null references clients (id),
    provider               text        not null check (provider in ('GOOGLE', 'MICROSOFT', 'CUSTOM')),
    oauth_client_id        text        not null,
    client_secret_enc      text,
    tenant                 text,
    authorization_endpoint text,
    token_endpoint         text,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    primary key (client_id, provider)
);

create table oauth_app_only_domains (
    client_id               bigint      not null references clients (id),
    domain                  text        not null check (domain = lower(domain)),
    provider                text        not null check (provider in ('GOOGLE', 'MICROSOFT')),
    -- MICROSOFT: the Entra ID tenant and the app's client ID and secret (client credentials).
    tenant                  text,
    oauth_client_id         text,
    client_secret_enc       text,
    -- GOOGLE: the service account with domain-wide delegation and its private key (PKCS#8 PEM).
    service_account_email   text,
    service_account_key_enc text,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    primary key (client_id, domain),
    check ((provider = 'MICROSOFT' and tenant is not null and oauth_client_id is not null
                and client_secret_enc is not null)
        or (provider = 'GOOGLE' and service_account_email is not null
                and service_account_key_enc is not null))
);

create table oauth_authorizations (
    state_hash         text        primary key,
    client_id          bigint      not null references clients (id),
    provider           text        not null check (provider in ('GOOGLE', 'MICROSOFT', 'CUSTOM')),
    code_verifier_enc  text        not null,
    redirect_uri       text        not null,
    mailbox_settings   jsonb       not null default '{}'::jsonb,
    created_at         timestamptz not null default now(),
    expires_at         timestamptz not null,
    consumed_at        timestamptz
);

create index oauth_authorizations_expiry on oauth_authorizations (expires_at);
