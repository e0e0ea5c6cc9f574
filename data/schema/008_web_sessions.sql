-- Sign-in sessions of the admin console and the provider portal. The cookie names its row and every request checks
-- it (Web/WebSessions): signing out ends the row, a revoked or replaced provider key no longer matches the key hash
-- taken at sign-in, a changed admin password no longer matches the credential fingerprint, and expires_at caps the
-- session's whole life however active it is.

create table web_sessions (
  id          uuid primary key,
  kind        text not null check (kind in ('admin', 'provider')),
  subject     text not null,             -- admin user name or provider code
  credential  bytea not null,            -- provider: the key's hash at sign-in; admin: fingerprint of the credentials
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  ended_at    timestamptz);

create index web_sessions_expires_at on web_sessions (expires_at);
