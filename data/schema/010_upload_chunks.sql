-- Upload bytes in 1 MiB rows, so that neither storing nor reading an upload needs one array of its size (issue 18).
-- uploads.content stays for rows written by older code and by seeds; new uploads leave it empty. Readers take the
-- chunks, or the legacy content when there are none.

create table upload_chunks (
  upload_id  bigint not null references uploads on delete cascade,
  seq        int not null,
  bytes      bytea not null,
  primary key (upload_id, seq)
);
-- Workbooks are zip files already: compressing them again costs CPU and gains nothing.
alter table upload_chunks alter column bytes set storage external;

alter table uploads alter column content set default ''::bytea;

insert into upload_chunks (upload_id, seq, bytes)
select u.id, s.seq, substring(u.content from s.seq * 1048576 + 1 for 1048576)
from uploads u
cross join lateral generate_series(0, (octet_length(u.content) - 1) / 1048576) as s(seq)
where octet_length(u.content) > 0;

update uploads set content = ''::bytea where octet_length(content) > 0;
