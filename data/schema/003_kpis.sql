-- KPI snapshots: a stored, reproducible run. Dashboards and mails refer to a snapshot id.

create table kpi_snapshots (
  id                 bigint generated always as identity primary key,
  period             text not null references periods,
  created_at         timestamptz not null default now(),
  return_version_ids bigint[] not null,            -- exactly the versions this run read
  returns_expected   integer not null,
  returns_received   integer not null,
  completeness       numeric(7,4) not null,        -- share of expected returns accepted, 0..1
  catalogue_hash     text not null,                -- which KPI catalogue computed it
  input_hash         text not null                 -- hash of the version ids + catalogue: same input, same snapshot
);
create index on kpi_snapshots (period, created_at desc);

-- One value per KPI and slice. dimension names the slicing ('nrw', 'provider', 'district', 'region',
-- 'service', 'municipality', 'ozg_topic', 'ozg_service', 'cost_type', ...); slice_key is the member's key.
create table kpi_values (
  snapshot_id     bigint not null references kpi_snapshots on delete cascade,
  kpi_id          text not null,
  dimension       text not null,
  slice_key       text not null,
  slice_label     text not null,
  district_key    text,          -- for row-level scope: the district a row belongs to, when it belongs to one
  provider_code   text,          -- for row-level scope: the provider a row belongs to, when it belongs to one
  value           numeric,
  numerator       numeric,
  denominator     numeric,
  previous_value  numeric,
  completeness    numeric(7,4) not null,
  provisional     boolean not null,
  primary key (snapshot_id, kpi_id, dimension, slice_key)
);
