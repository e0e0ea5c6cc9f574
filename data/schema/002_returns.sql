-- Providers, periods, uploads and the returns they carry, versioned; the facts each accepted version holds.

create table providers (
  code            text primary key check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,19}$'),
  name            text not null,
  email           text,
  api_key_hash    bytea,             -- SHA-256 of the key; the key itself is shown once and never stored
  api_key_created_at timestamptz,
  created_at      timestamptz not null default now()
);

-- Which districts a provider serves (from the service-area reference and the returns).
create table provider_districts (
  provider_code  text not null references providers on delete cascade,
  district_key   text not null references districts,
  evidence       text not null default '',
  primary key (provider_code, district_key)
);

create table periods (
  period     text primary key check (period ~ '^[0-9]{4}(-(Q[1-4]|H[12]))?$'),   -- '2025', '2025-Q1'
  starts_on  date not null,
  ends_on    date not null,
  deadline   date not null,
  closed     boolean not null default false
);

-- Every upload's bytes are stored before the upload is acknowledged; the same bytes are recognised by hash.
create table uploads (
  id             bigint generated always as identity primary key,
  sha256         bytea not null unique,
  file_name      text not null,
  size_bytes     bigint not null,
  content        bytea not null,
  provider_code  text references providers,
  uploaded_by    text not null,      -- 'api:CODE', 'portal:CODE', 'cli', 'inbox', 'demo'
  received_at    timestamptz not null default now()
);

create table returns (
  id             bigint generated always as identity primary key,
  provider_code  text not null references providers,
  period         text not null references periods,
  unique (provider_code, period)
);

-- status: received -> accepted | rejected; an accepted version becomes superseded when a newer one is accepted.
create table return_versions (
  id                bigint generated always as identity primary key,
  return_id         bigint references returns,        -- null while the file could not be attributed
  provider_code     text references providers,
  period            text,
  upload_id         bigint not null references uploads,
  version           integer,                          -- 1, 2, ... per return, among accepted versions
  status            text not null default 'received' check (status in ('received','accepted','rejected','superseded')),
  template_version  text,
  contact           text,
  staff_fte         numeric(10,2),
  stated_total      numeric(16,2),
  messages          jsonb not null default '[]',
  error_count       integer not null default 0,
  warning_count     integer not null default 0,
  submitted_by      text not null,
  submitted_at      timestamptz not null default now(),
  decided_at        timestamptz,
  superseded_by     bigint references return_versions,
  unique (upload_id)
);
create index on return_versions (return_id, status);
create unique index one_current_version_per_return on return_versions (return_id) where status = 'accepted';

create table cost_facts (
  return_version_id  bigint not null references return_versions on delete cascade,
  service_code       text not null references services,
  cost_type          text not null references cost_types,
  amount             numeric(16,2) not null check (amount >= 0),
  sheet              text not null,
  cell               text not null,    -- A1 reference of the amount
  primary key (return_version_id, service_code, cost_type)
);

create table supply_facts (
  return_version_id  bigint not null references return_versions on delete cascade,
  ags                text not null references municipalities,
  service_code       text not null references services,
  workstations       integer not null check (workstations >= 0),
  users              integer not null check (users >= 0),
  charges            numeric(16,2) not null check (charges >= 0),
  sheet              text not null,
  row_number         integer not null,
  primary key (return_version_id, ags, service_code)
);

create table ozg_facts (
  return_version_id  bigint not null references return_versions on delete cascade,
  ags                text not null references municipalities,
  ozg_id             integer not null references ozg_services,
  maturity           smallint not null check (maturity between 0 and 4),
  efa                boolean not null,
  online_since       date,
  sheet              text not null,
  row_number         integer not null,
  primary key (return_version_id, ags, ozg_id)
);

-- The accepted, current version of each return: everything downstream reads facts through this view.
create view current_versions as
  select rv.* from return_versions rv where rv.status = 'accepted';
