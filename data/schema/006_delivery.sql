-- Delivery: every mail we send, per recipient, with the exact message, so a retry or a re-send sends the same
-- bytes and the console can show what went where. Also the downloads offered instead of oversized attachments
-- and the probe rows the scale-out check writes.

create table deliveries (
  id                 bigint generated always as identity primary key,
  kind               text not null,           -- 'executive', 'provider-verdict', 'reminder', 'late-notice', 'late-list'
  -- What this mail is, stable across job retries: the same key is reserved once (see DeliveryService).
  dedupe_key         text not null unique,
  subscription_id    text,
  snapshot_id        bigint references kpi_snapshots on delete set null,
  return_version_id  bigint references return_versions on delete set null,
  period             text,
  recipient_name     text not null default '',
  recipient_address  text not null,
  subject            text not null,
  message_id         text not null unique,    -- deterministic, reserved before sending
  attachment_name    text,
  attachment_sha256  bytea,
  attachment_bytes   bigint,
  download_id        uuid,                    -- set when a link was sent instead of the attachment
  mime               bytea not null,          -- the composed message, sent byte for byte on every try
  status             text not null default 'pending'
                     check (status in ('pending', 'sending', 'sent', 'uncertain')),
  tries              integer not null default 0,
  transport          text,                    -- 'smtp' | 'pickup', of the last try
  last_error         text,
  resend_of          bigint references deliveries,
  created_at         timestamptz not null default now(),
  sending_at         timestamptz,
  sent_at            timestamptz
);
create index on deliveries (created_at desc);
create index on deliveries (status) where status <> 'sent';

-- Workbooks too large to attach: served at {PublicBaseUrl}/downloads/{id}; the id is random and unguessable.
create table delivery_downloads (
  id          uuid primary key,
  file_name   text not null,
  content     bytea not null,
  sha256      bytea not null,
  created_at  timestamptz not null default now()
);

-- Scheduling probe: which server ran which probe job (scale-out check, see ProbeJobs).
create table job_probes (
  id           bigint generated always as identity primary key,
  tag          text not null,
  server_name  text not null,
  process_id   integer not null,
  ran_at       timestamptz not null default now()
);
