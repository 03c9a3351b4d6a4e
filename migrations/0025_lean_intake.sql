-- A lean intake path (issue 12): the duplicate check served by an index, case numbers without a
-- hot row, and a signal whenever the reference data intake holds in memory changes.

-- 1. Possible duplicates are open cases within a distance in metres (geography) of a report.
--    The index holds open cases only (the check never looks at others) on the same expression
--    the check uses, so ST_DWithin(location::geography, …) is answered by the index; the time
--    window and the 小类 filter the few rows it returns. The state list is TERMINAL_STATES
--    (src/domain/workflow/states.ts): the check's own condition must match it for the planner.
CREATE INDEX cases_open_location_geog_gix ON cases USING gist ((location::geography))
  WHERE state NOT IN ('rejected', 'closed', 'voided', 'merged');

-- 2. Case numbers (district-YYYYMMDD-(C|E)-NNNN): NNNN is the day's sequence per district and
--    kind. It comes from a sequence per (district, day, kind), `nextval` inside the case's own
--    INSERT, instead of an upserted counter row that every report of a district had to lock
--    and commit. The rules stay as they were:
--    - never a duplicate (a sequence never hands out a value twice);
--    - gaps are allowed: a report that fails after taking its number (a refusal, a rollback, a
--      crash before commit) leaves its number unused, as the counter did;
--    - a day's numbers follow the order in which reports took them, not their commit order.
--    The sequence is made on the first report of the day (case_number_sequence, from a
--    connection of its own so that it is there whatever the report's transaction does); it
--    continues after a series already counted in case_number_counters (numbers written by
--    earlier versions and by history seeding, which still records its series there). Sequences
--    of days more than a week old are dropped when a new one is made.
CREATE FUNCTION case_number_sequence_name(district text, day date, kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('case_no_%s_%s_%s', district, to_char(day, 'YYYYMMDD'),
                CASE kind WHEN 'component' THEN 'c' ELSE 'e' END)
$$;

CREATE FUNCTION case_number_sequence(district text, day date, kind text) RETURNS text
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

-- 3. Reference data that intake keeps in memory (src/platform/db/reference-cache.ts): every
--    change, by whatever writes it (console, import, CLI, another server process), is announced
--    on commit on the channel cityloop_reference with the table's name; each server drops what
--    it derived from that table. A rolled-back change announces nothing.
CREATE FUNCTION reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cityloop_reference', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER categories_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER category_mappings_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_mappings
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER standard_versions_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON standard_versions
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER category_standards_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_standards
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER category_time_limits_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_time_limits
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER working_calendars_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON working_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER calendar_days_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER clock_rules_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clock_rules
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER grids_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER divisions_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON divisions
  FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();

-- 4. A case event is announced to the live streams (src/modules/live) by the database as it is
--    appended, instead of by a statement of its own in every transition: pg_notify is delivered
--    on commit to every server's LISTEN connection, never on rollback, as before. The payload
--    is what src/modules/live/notify.ts parses. A bulk load (history seeding: thousands of events
--    in one statement) is not announced, as it was not before.
CREATE FUNCTION case_events_announced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM (SELECT 1 FROM appended LIMIT 101) x) <= 100 THEN
    PERFORM pg_notify('cityloop_case', json_build_object('id', e.case_id, 'number', c.number,
                                                         'action', e.action)::text)
    FROM appended e JOIN cases c ON c.id = e.case_id;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER case_events_announced AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION case_events_announced();
