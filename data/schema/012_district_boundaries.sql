-- District boundaries for the maps, as GeoJSON geometries (Polygon or MultiPolygon, WGS84 longitude/latitude).
-- No GIS extension: the charts only draw the rings. The attribution is the one line every map of them must show.
create table district_boundaries (
  district_key text primary key,
  geometry jsonb not null,
  attribution text not null,
  imported_at timestamptz not null default now()
);
