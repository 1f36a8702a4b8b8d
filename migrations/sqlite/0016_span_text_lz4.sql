-- PostgreSQL's span text moves to lz4 compression in this version (see
-- ../postgres/0016_span_text_lz4.sql); SQLite does not compress rows, so nothing changes
-- here. The file keeps both engines' migration versions in step.
select 1;
