-- Case events are announced after commit by the writing server (src/platform/db/announcer.ts),
-- no longer by a trigger inside the writing transaction: PostgreSQL serialises the commits of
-- every transaction that called pg_notify (the notification queue's lock is held from before the
-- commit record until it is flushed), so with the trigger no two reports could share a WAL
-- flush (group commit) and intake at 32 clients ran at the pace of one fsync per report.
-- Reference-data triggers (0025) stay: their tables change rarely.
DROP TRIGGER case_events_announced ON case_events;
DROP FUNCTION case_events_announced();
