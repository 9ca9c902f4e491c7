-- Outbound CRM schema, version 8: lead imports (dev.outbound.crm.imports.LeadImportStore).
-- An upload (CSV or JSON) is parsed and checked row by row in the API, then stored here in one
-- transaction before the API answers: the rows that passed the checks in lead_import_rows (the
-- staging table), the rows that did not in lead_import_rejections. Staged rows are then written to
-- leads and enrolments in batches, each batch in one transaction that also inserts its
-- lead_import_batches row: a batch is written completely or not at all, and a batch whose row exists
-- is never written again, so a crash or a repeated run neither half-writes nor double-inserts.
-- This version depends on V1 (clients, campaigns, leads, enrolments) and V3 (leads.country).

create table lead_imports (
    id           bigserial   primary key,
    client_id    bigint      not null references clients (id),
    campaign_id  bigint      not null,
    format       text        not null check (format in ('CSV', 'JSON')),
    status       text        not null default 'QUEUED'
                 check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    -- Rows in the upload (empty lines not counted), rows staged (passed the checks), batching.
    total_rows   int         not null check (total_rows >= 0),
    staged_rows  int         not null check (staged_rows >= 0 and staged_rows <= total_rows),
    batch_size   int         not null check (batch_size > 0),
    batch_count  int         not null check (batch_count >= 0),
    -- Leads enrolled and rows rejected so far: the upload's own rejections from the start, each
    -- batch's added in the batch's transaction.
    accepted     int         not null default 0 check (accepted >= 0),
    rejected     int         not null default 0 check (rejected >= 0),
    -- Why the import failed (no lead data), and what is left to do after it succeeded (e.g. the
    -- enrolment signal did not get through).
    error        text,
    warning      text,
    created_at   timestamptz not null default now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    unique (client_id, id),
    foreign key (client_id, campaign_id) references campaigns (client_id, id)
);
-- Finding the imports to resume after a restart.
create index lead_imports_unfinished on lead_imports (id) where status in ('QUEUED', 'RUNNING');

-- The staging table: the rows still to be written, numbered in upload order (row_no from 0) and
-- assigned to their batch (batch_no from 1). position is where the row was in the upload: the CSV
-- line on which it starts (the header is line 1), or the index in the JSON array (from 0). The rows
-- of an import are deleted when it is done.
create table lead_import_rows (
    client_id   bigint not null,
    import_id   bigint not null,
    batch_no    int    not null check (batch_no >= 1),
    row_no      int    not null check (row_no >= 0),
    position    int    not null check (position >= 0),
    email       text   not null,
    first_name  text,
    last_name   text,
    company     text,
    timezone    text,
    country     text,
    fields      jsonb  not null default '{}'::jsonb,
    primary key (import_id, batch_no, row_no),
    foreign key (client_id, import_id) references lead_imports (client_id, id) on delete cascade
);

-- The batches that were written, with what each did; inserted in the batch's own transaction.
create table lead_import_batches (
    client_id    bigint      not null,
    import_id    bigint      not null,
    batch_no     int         not null check (batch_no >= 1),
    accepted     int         not null check (accepted >= 0),
    rejected     int         not null check (rejected >= 0),
    committed_at timestamptz not null default now(),
    primary key (import_id, batch_no),
    foreign key (client_id, import_id) references lead_imports (client_id, id) on delete cascade
);

-- Why rows were not imported: by the upload's checks (batch_no null) or when their batch was
-- written (suppressed, already in this or another active campaign). A row with several invalid
-- values has one entry per value. Reasons name the field and the rule; they never quote an address,
-- a name or a field's value (only a rejected country code or column name).
create table lead_import_rejections (
    id          bigserial primary key,
    client_id   bigint not null,
    import_id   bigint not null,
    batch_no    int,
    position    int    not null check (position >= 0),
    field       text   not null,
    reason      text   not null,
    foreign key (client_id, import_id) references lead_imports (client_id, id) on delete cascade
);
create index lead_import_rejections_import on lead_import_rejections (import_id, position, id);

-- The check against the client's other campaigns looks up a person's enrolments; without this index
-- it would scan every enrolment of the client once per batch.
create index enrolments_client_lead on enrolments (client_id, lead_id);
