-- A run is charged with its process' death only once its own work has begun (Scheduling/CrashGuard): a job that
-- first waits for a resource of its process (an ingest slot) is written with working_since null and sets it when
-- its work begins; such a row left null by a dead process is no death. Any other run works from its start.
alter table job_attempts add column working_since timestamptz default now();
update job_attempts set working_since = started_at;

-- Attempts end when their job ends: rows of jobs that succeeded, were deleted or are gone are closed here once,
-- later by the guard itself; of a failed job only the deaths it was given up for stay (given_up_at).
do $$
begin
  if to_regclass('hangfire.job') is not null then
    delete from job_attempts a
    where not exists (
      select 1 from hangfire.job j
      where j.id::text = a.job_id
        and (coalesce(j.statename, '') not in ('Succeeded', 'Deleted', 'Failed')
             or j.statename = 'Failed' and a.given_up_at is not null));
  end if;
end $$;
