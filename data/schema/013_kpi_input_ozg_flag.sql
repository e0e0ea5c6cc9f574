-- kpi_input(version_ids, with_ozg): with_ozg false leaves out the OZG maturities, most of the function's time, for a
-- caller that takes the OZG KPIs from elsewhere (a scenario that moves no online services keeps their baseline).
drop function if exists kpi_input(bigint[]);

create or replace function kpi_input(version_ids bigint[], with_ozg boolean default true)
returns table (
  measure text, provider_code text, return_version_id bigint, ags text, district_key text, region_key text,
  service_code text, cost_type text, ozg_id integer, ozg_topic text, value numeric,
  source text, sheet text, cell text)
language sql stable as $$
  with v as (
    select rv.id, rv.provider_code, rv.staff_fte from return_versions rv where rv.id = any(version_ids)),
  sup as (
    select s.*, v.provider_code, m.district_key, d.region_key, m.population
    from supply_facts s join v on v.id = s.return_version_id
    join municipalities m on m.ags = s.ags join districts d on d.key = m.district_key),
  widest as (
    select distinct on (provider_code, ags) * from sup order by provider_code, ags, workstations desc, service_code),
  most_users as (
    select distinct on (provider_code, ags) * from sup order by provider_code, ags, users desc, service_code),
  provider_ws as (
    select provider_code, sum(workstations)::numeric as ws from widest group by provider_code),
  cost as (
    select c.*, v.provider_code from cost_facts c join v on v.id = c.return_version_id)
  select 'cost', c.provider_code, c.return_version_id, null, null, null, c.service_code, c.cost_type, null::integer, null,
         c.amount, 'cost_facts', c.sheet, c.cell
  from cost c
  union all
  select 'cost_attributed', c.provider_code, c.return_version_id, w.ags, w.district_key, w.region_key, c.service_code, c.cost_type, null, null,
         (c.amount * w.workstations)::numeric(38,20) / t.ws, 'cost_facts', c.sheet, c.cell
  from cost c join widest w on w.provider_code = c.provider_code join provider_ws t on t.provider_code = c.provider_code
  where t.ws > 0
  union all
  select 'workstations', w.provider_code, w.return_version_id, w.ags, w.district_key, w.region_key, null, null, null, null,
         w.workstations, 'supply_facts', w.sheet, w.row_number::text
  from widest w
  union all
  select 'users', u.provider_code, u.return_version_id, u.ags, u.district_key, u.region_key, null, null, null, null,
         u.users, 'supply_facts', u.sheet, u.row_number::text
  from most_users u
  union all
  select 'service_workstations', s.provider_code, s.return_version_id, s.ags, s.district_key, s.region_key, s.service_code, null, null, null,
         s.workstations, 'supply_facts', s.sheet, s.row_number::text
  from sup s
  union all
  select 'charges', s.provider_code, s.return_version_id, s.ags, s.district_key, s.region_key, s.service_code, null, null, null,
         s.charges, 'supply_facts', s.sheet, s.row_number::text
  from sup s
  union all
  select 'population', w.provider_code, w.return_version_id, w.ags, w.district_key, w.region_key, null, null, null, null,
         w.population, 'municipalities', null, w.ags
  from widest w
  union all
  select 'staff_fte', v.provider_code, v.id, null, null, null, null, null, null, null,
         v.staff_fte, 'return_versions', null, 'staff_fte'
  from v where v.staff_fte is not null
  union all
  select 'ozg_maturity', b.provider_code, b.return_version_id, b.ags, b.district_key, b.region_key, null, null, b.ozg_id, b.topic,
         b.maturity, 'ozg_facts', b.sheet, b.row_number::text
  from (
    select distinct on (o.ags, o.ozg_id) o.*, v.provider_code, m.district_key, d.region_key, s.topic
    from ozg_facts o join v on v.id = o.return_version_id
    join ozg_services s on s.ozg_id = o.ozg_id and s.municipal
    join municipalities m on m.ags = o.ags join districts d on d.key = m.district_key
    where with_ozg
    order by o.ags, o.ozg_id, o.maturity desc, v.provider_code) b
$$;
