-- The same bytes are recognised per uploader, not across providers: a provider uploading bytes another provider
-- already holds gets its own upload row and version, answered exactly like any fresh upload, so the answer never
-- tells it that someone else holds that file. Uploads without a provider (command line, inbox) stay one per bytes.
alter table uploads drop constraint uploads_sha256_key;
create unique index uploads_provider_sha256 on uploads (provider_code, sha256) nulls not distinct;
create index uploads_sha256 on uploads (sha256);
