-- Intake: revocable provider keys, which providers are expected to report, and the submission ledger.

alter table providers add column active boolean not null default true;    -- inactive providers are not expected
alter table providers add column api_key_revoked_at timestamptz;
-- Authentication looks a key up by its hash; two providers can never share one.
create unique index providers_api_key_hash on providers (api_key_hash) where api_key_hash is not null;

-- The ledger and the plausibility check read versions per provider and period.
create index return_versions_provider_period on return_versions (provider_code, period, status);
-- Backstop for the advisory lock: a version number is never handed out twice within a return.
create unique index return_versions_return_version on return_versions (return_id, version) where version is not null;

-- For each expected provider and each period: what arrived, what was decided, and whether it was late.
-- received counts every version attributed to the provider and period (pending ones have no period yet).
create view submission_ledger as
select p.code as provider_code,
       p.name as provider_name,
       pe.period,
       pe.deadline,
       count(rv.id)::int                                          as received,
       (count(rv.id) filter (where rv.status = 'rejected'))::int   as rejected,
       (count(rv.id) filter (where rv.status = 'accepted'))::int   as accepted,
       (count(rv.id) filter (where rv.status = 'superseded'))::int as superseded,
       max(rv.submitted_at)                                       as last_submitted_at,
       min(rv.decided_at) filter (where rv.status in ('accepted', 'superseded')) as first_accepted_at,
       max(rv.id) filter (where rv.status = 'accepted')          as current_version_id,
       case when count(rv.id) filter (where rv.status = 'accepted') > 0 then 'accepted'
            when count(rv.id) filter (where rv.status = 'rejected') > 0 then 'rejected'
            when count(rv.id) > 0 then 'received'
            else 'missing' end                                    as state,
       coalesce((min(rv.decided_at) filter (where rv.status in ('accepted', 'superseded')))::date > pe.deadline,
                current_date > pe.deadline)                       as late
from providers p
cross join periods pe
left join return_versions rv on rv.provider_code = p.code and rv.period = pe.period
where p.active
group by p.code, p.name, pe.period, pe.deadline;
