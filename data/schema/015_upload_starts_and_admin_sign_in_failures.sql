-- Upload starts: the hourly upload quota counts an upload when it starts (Uploads/UploadQuota), so uploads that are
-- cut off, refused or recognised as known bytes count too. Rows older than the hour are deleted as new ones come.
create table upload_starts (
  id             bigint generated always as identity primary key,
  principal      text not null,          -- who the quota is kept for: a provider code today
  started_at     timestamptz not null);

create index upload_starts_principal_started_at on upload_starts (principal, started_at);

-- Failed admin sign-ins, from every web process, so the admin start page shows failures across all addresses
-- (Access/AdminSignInFailures). Refusals stay per address and in memory (Access/SignInThrottle); this table only
-- counts. Rows older than a day are deleted as new ones come.
create table admin_sign_in_failures (
  id             bigint generated always as identity primary key,
  user_name      text not null,          -- the name tried, shortened to 64 characters
  address        text not null,
  failed_at      timestamptz not null);

create index admin_sign_in_failures_failed_at on admin_sign_in_failures (failed_at);
