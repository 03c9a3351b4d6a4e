-- Case numbers and the demo history's generated days (issue 12; seen as a 409 in the kill -9
-- test): the history writes a day's cases with the numbers its generator gives them, and
-- records them in case_number_counters so that the day's sequence, made on the first live
-- report, starts after them. Live reports no longer write counters (0025), so a history day
-- started while live reports were already numbering that day (the demo's "today", written while
-- the server already takes reports) handed out numbers a live case had, or the live sequence
-- was made from counters the history had not committed yet.
--
-- Both now meet on one lock, held only where a day's numbering begins:
-- - case_number_sequence takes it before it reads the counters and makes the sequence;
-- - the history claims a day under it: if a sequence of that day exists, the day is left as it
--   is; else it writes the day's highest generated number per series into the counters before
--   writing any case, so a sequence made later starts after every generated number.
-- The lock is per database and transaction-scoped (pg_advisory_xact_lock, also in PGlite); the
-- key pair is CityLoop's own (7301 = case numbering, 1 = day start).
CREATE OR REPLACE FUNCTION case_number_sequence(district text, day date, kind text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  name  text := case_number_sequence_name(district, day, kind);
  start integer;
  old   record;
BEGIN
  IF district !~ '^[0-9]{6}$' OR kind NOT IN ('component', 'event') THEN
    RAISE EXCEPTION 'bad case number series % % %', district, day, kind;
  END IF;
  IF to_regclass(name) IS NOT NULL THEN
    RETURN name;
  END IF;
  PERFORM pg_advisory_xact_lock(7301, 1);
  SELECT coalesce(max(c.last_seq), 0) + 1 INTO start FROM case_number_counters c
  WHERE c.district_code = district AND c.day = case_number_sequence.day AND c.kind = case_number_sequence.kind;
  BEGIN
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s', name, start);
  EXCEPTION WHEN unique_violation OR duplicate_table THEN
    -- Another process made it at the same instant: theirs serves.
    NULL;
  END;
  FOR old IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND n.nspname = current_schema()
      AND c.relname ~ '^case_no_[0-9]{6}_[0-9]{8}_[ce]$'
      AND to_date(substring(c.relname FROM 16 FOR 8), 'YYYYMMDD') < day - 7
  LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I', old.relname);
  END LOOP;
  RETURN name;
END;
$$;

-- Whether any case of a local day has been numbered by a sequence (live reports).
CREATE FUNCTION case_numbering_started(day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND n.nspname = current_schema()
      AND c.relname ~ ('^case_no_[0-9]{6}_' || to_char(day, 'YYYYMMDD') || '_[ce]$'))
$$;
