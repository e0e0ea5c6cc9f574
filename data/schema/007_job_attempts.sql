-- Job runs that started and have not ended (see Scheduling/CrashGuard). A run that ends in any way, success or
-- exception, deletes its row; a row that stays open means the process died while running the job. At the next
-- start of that job the open rows are counted, and after the second death the job fails for good instead of
-- taking the next worker down with it.

create table job_attempts (
  id           bigint generated always as identity primary key,
  job_id       text not null,
  server_id    text not null,
  started_at   timestamptz not null default now(),
  -- Set when the job was failed because of these deaths: a requeue from the console starts counting afresh.
  given_up_at  timestamptz
);
create index job_attempts_open on job_attempts (job_id) where given_up_at is null;
