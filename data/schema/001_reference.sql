-- Reference data: the territory (regions, districts, municipalities), the OZG catalogue, our service catalogue.
-- Keys are the official ones (AGS, Kreis key, OZG id), so facts and lineage read like the sources.

create table regions (
  key   text primary key,             -- Regierungsbezirk, 3 digits, e.g. 051
  name  text not null
);

create table districts (
  key         text primary key,       -- Kreis / kreisfreie Stadt, 5 digits, e.g. 05162
  name        text not null,
  kind        text not null,          -- 'Kreis', 'kreisfreie Stadt', 'Städteregion'
  region_key  text not null references regions
);

create table municipalities (
  ags             text primary key check (ags ~ '^[0-9]{8}$'),
  ars             text not null,
  name            text not null,
  kind            text not null,      -- 'Stadt', 'Gemeinde', 'kreisfreie Stadt'
  district_key    text not null references districts,
  population      integer not null check (population >= 0),
  population_as_of date not null,
  area_km2        numeric(10,2),
  longitude       double precision,
  latitude        double precision
);
create index on municipalities (district_key);

-- Every population figure ever imported, so a KPI snapshot can be recomputed with the figures it used.
create table population_history (
  ags         text not null references municipalities,
  as_of       date not null,
  population  integer not null,
  primary key (ags, as_of)
);

create table ozg_services (
  ozg_id          integer primary key,
  name            text not null,
  life_situation  text not null,
  topic           text not null,      -- Themenfeld (14 in the catalogue)
  -- Executed by municipalities: some attached LeiKa service is of type 2/3, 4 or 5 (pure type 1 is federal).
  municipal       boolean not null default false
);
create index on ozg_services (topic);

create table leika_services (
  leika_key   text not null,          -- 14 digits or 'nicht im LeiKa'
  name        text not null,
  ozg_id      integer references ozg_services,
  leika_type  text not null default '',
  primary key (leika_key, name)
);

-- Our catalogue of cost objects (the services a provider runs for municipalities).
create table services (
  code      text primary key,
  name      text not null,
  category  text not null             -- 'Fachverfahren', 'Infrastruktur', 'Querschnitt', 'Online-Dienste'
);

create table cost_types (
  code  text primary key,
  name  text not null,
  sort  integer not null
);

insert into cost_types (code, name, sort) values
  ('personal',  'Personal', 1),
  ('hardware',  'Hardware', 2),
  ('software',  'Software und Lizenzen', 3),
  ('extern',    'Externe Dienstleistungen', 4),
  ('sonstige',  'Sonstiges', 5);

insert into services (code, name, category) values
  ('ARB', 'Arbeitsplatz-IT (Clients, Drucker)', 'Infrastruktur'),
  ('RZB', 'Rechenzentrumsbetrieb und Hosting', 'Infrastruktur'),
  ('NET', 'Netze und Kommunikation', 'Infrastruktur'),
  ('TEL', 'Telefonie', 'Infrastruktur'),
  ('MAI', 'E-Mail und Kollaboration', 'Infrastruktur'),
  ('SEC', 'Informationssicherheit', 'Querschnitt'),
  ('SUP', 'Service Desk und Support', 'Querschnitt'),
  ('SCH', 'Schul-IT', 'Infrastruktur'),
  ('FIN', 'Finanzwesen und Haushalt', 'Fachverfahren'),
  ('KAS', 'Kasse und Vollstreckung', 'Fachverfahren'),
  ('STE', 'Steuern und Abgaben', 'Fachverfahren'),
  ('PER', 'Personalwesen und Bezüge', 'Fachverfahren'),
  ('EWO', 'Einwohnermeldewesen', 'Fachverfahren'),
  ('PST', 'Personenstandswesen', 'Fachverfahren'),
  ('AUS', 'Ausländerwesen', 'Fachverfahren'),
  ('GEW', 'Gewerbewesen', 'Fachverfahren'),
  ('KFZ', 'Kfz-Zulassung', 'Fachverfahren'),
  ('FUE', 'Führerscheinwesen', 'Fachverfahren'),
  ('OWI', 'Ordnungswidrigkeiten', 'Fachverfahren'),
  ('BAU', 'Bauaufsicht', 'Fachverfahren'),
  ('GEO', 'Geoinformation und Kataster', 'Fachverfahren'),
  ('SOZ', 'Sozialwesen', 'Fachverfahren'),
  ('JUG', 'Jugendhilfe', 'Fachverfahren'),
  ('WAH', 'Wahlen', 'Fachverfahren'),
  ('RIS', 'Ratsinformationssystem', 'Fachverfahren'),
  ('DMS', 'Dokumentenmanagement und E-Akte', 'Querschnitt'),
  ('POR', 'Serviceportal und Online-Dienste (OZG)', 'Online-Dienste'),
  ('PAY', 'E-Payment', 'Online-Dienste'),
  ('IDM', 'Identitäts- und Zugangsverwaltung', 'Querschnitt'),
  ('VID', 'Videokonferenz', 'Infrastruktur');

-- Published service areas: which provider serves which district, with the evidence for it.
create table reference_provider_areas (
  provider_name  text not null,
  district_key   text not null references districts,
  coverage       text not null default '',
  evidence       text not null default '',   -- 'ja' | 'teilweise'
  source         text not null default '',
  primary key (provider_name, district_key)
);

-- Published KPI reference values (benchmarks) with their sources.
create table kpi_reference_values (
  name        text primary key,
  formula     text not null,
  value_text  text not null,                 -- as published ('>40', 'ca. 4', '1452 (Spanne 999-2051)')
  value       numeric,                       -- the leading number, where one can be read
  unit        text not null,
  scope       text not null,
  year        text not null,
  value_kind  text not null,                 -- 'Quelle' | 'abgeleitet (eigene Division)'
  source      text not null
);
