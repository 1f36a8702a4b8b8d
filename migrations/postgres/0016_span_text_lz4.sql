-- A span's long text (input, output, attributes as JSON) is compressed when its row passes
-- about 2 KiB. PostgreSQL's own method, pglz, took 13% of the database's CPU under the
-- ingest benchmark (perf, 500-span commits), the largest single share; lz4 compresses
-- several times faster for about the same room. Only values written from now on use it;
-- both kinds are read alike. A server built without lz4 keeps pglz: its
-- default_toast_compression does not offer lz4. Setting a column's compression locks its
-- table for a moment, without rewriting it; if another server's long query holds the table,
-- this migration gives up after 10 s (and the server says so) rather than hold every
-- commit behind it. A dump of these tables restores onto a server without lz4 only with
-- pg_dump --no-toast-compression.
set local lock_timeout = '10s';
do $$
begin
    if exists (select 1 from pg_settings
               where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table spans
            alter column input set compression lz4,
            alter column output set compression lz4,
            alter column attributes set compression lz4,
            alter column events set compression lz4;
        alter table resources alter column attributes set compression lz4;
    end if;
end
$$;
