-- What each provider is shown of others (Kpis/ProviderAnonymity): a publication freezes, per reading provider, the
-- snapshot whose NRW-wide aggregates and comparisons it sees. Written by the KPI engine in the snapshot's own
-- transaction and only read afterwards, so every artefact (API, workbook, mail, page) shows the same publication
-- and a later rule change cannot rewrite what was already sent.
create table kpi_publications (
  id                       bigint generated always as identity primary key,
  period                   text not null references periods,
  reader                   text not null references providers on delete cascade,
  snapshot_id              bigint not null references kpi_snapshots on delete cascade,
  published_at             timestamptz not null default now(),
  -- The reader's publication of the previous period at publication time: the source of previous values.
  previous_publication_id  bigint references kpi_publications on delete set null,
  -- Per contributing provider, the hash of the facts it contributed to the snapshot: the next publication for this
  -- reader needs enough other providers whose hash differs, so an unchanged re-submission counts for nothing.
  basis                    jsonb not null,
  unique (period, reader, snapshot_id)
);
create index kpi_publications_reader on kpi_publications (period, reader, id desc);

-- The snapshot's per-provider facts hashes, so that a job that finds the snapshot already computed (same input) can
-- still publish it to readers without a publication, e.g. after Kpis:AnonymityMinProviders was lowered.
alter table kpi_snapshots add column contributions jsonb;
