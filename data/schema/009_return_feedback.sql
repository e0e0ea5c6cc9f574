-- The feedback workbook of a decided return version (the provider's file with marked cells and the messages
-- sheet), built once by streaming and served from here afterwards: the verdict mail, GET /api/returns/{id}/feedback
-- and `ingest --report` never build it twice.

create table return_feedback (
  return_version_id  bigint primary key references return_versions on delete cascade,
  content            bytea not null,
  built_at           timestamptz not null default now()
);
