-- Case events are announced after commit by the writing server (src/platform/db/announcer.ts),
-- no longer by a trigger inside the writing transaction: PostgreSQL serialises the commits of
-- every transaction that called pg_notify (the notification queue's lock is held from before the
-- commit record until it is flushed), so with the trigger no two reports could share a WAL
-- flush (group commit) and intake at 32 clients ran at the pace of one fsync per report.
-- Reference-data triggers (0025) stay: their tables change rarely.
DROP TRIGGER case_events_announced ON case_events;
DROP FUNCTION case_events_announced();

-- Sessions are held in memory like reference data (src/modules/auth/service.ts): every change
-- that can end or narrow a session is announced on cityloop_reference, so every server drops
-- what it kept. A session's touch (last_seen_at alone) and a new session are not announced:
-- neither changes what a kept session may do.
CREATE TRIGGER sessions_reference_changed AFTER UPDATE OF token_hash, user_id, expires_at OR DELETE OR TRUNCATE
  ON sessions FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER users_reference_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER departments_reference_changed AFTER UPDATE OR DELETE OR TRUNCATE ON departments
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
