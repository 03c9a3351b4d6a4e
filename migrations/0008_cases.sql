-- Cases (案卷): the `cases` row is a projection; `case_events` is the immutable history it is
-- built from (architecture.md "Case history is an event log"). Media: photos stored by sha256.

CREATE TABLE media (
  sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes   integer NOT NULL CHECK (size_bytes > 0),
  uploaded_by  integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Daily sequence of case numbers per district and kind; incremented with an upsert so two
-- concurrent reports never get the same number.
CREATE TABLE case_number_counters (
  district_code text NOT NULL,
  day           date NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('component', 'event')),
  last_seq      integer NOT NULL CHECK (last_seq > 0),
  PRIMARY KEY (district_code, day, kind)
);

CREATE TABLE cases (
  id                  serial PRIMARY KEY,
  -- 案卷号: district-YYYYMMDD-(C|E)-NNNN, readable and unique; the id stays internal.
  number              text NOT NULL UNIQUE CHECK (number ~ '^[0-9]{6}-[0-9]{8}-[CE]-[0-9]{4,}$'),
  source              text NOT NULL CHECK (source IN ('supervisor', 'public', 'hotline_12345', 'video_ai', 'iot',
                                                      'leader', 'media')),
  kind                text NOT NULL CHECK (kind IN ('component', 'event')),
  category_id         integer NOT NULL REFERENCES categories (id),
  -- The standards version in force when the case was reported (filing conditions, time limits).
  standard_version_id integer REFERENCES standard_versions (id),
  component_code      text,
  grid_code           text NOT NULL REFERENCES grids (code),
  community_code      text NOT NULL REFERENCES divisions (code),
  street_code         text NOT NULL REFERENCES divisions (code),
  district_code       text NOT NULL REFERENCES divisions (code),
  area_class          text NOT NULL CHECK (area_class IN ('A', 'B', 'C')),
  location            geometry(Point, 4326) NOT NULL,
  address             text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  description         text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
  urgency             text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'emergency')),
  reporter_name       text CHECK (reporter_name IS NULL OR length(reporter_name) <= 60),
  reporter_phone      text CHECK (reporter_phone IS NULL OR reporter_phone ~ '^\+?[0-9-]{5,20}$'),
  reported_by         integer REFERENCES users (id),
  reporter_role       text NOT NULL,
  state               text NOT NULL CHECK (state IN ('reported', 'verifying', 'pending_filing', 'rejected', 'filed',
                        'dispatched', 'ownership_dispute', 'handling', 'handled', 'checking', 'pending_close',
                        'closed', 'suspended', 'voided', 'merged')),
  -- The pending-request slot (回退 / 延期 / 挂账 / 作废), see domain/workflow/requests.ts.
  pending_kind        text CHECK (pending_kind IN ('return', 'extend', 'suspend', 'void')),
  pending_role        text,
  pending_payload     jsonb,
  department_id       integer REFERENCES departments (id),
  handler_id          integer REFERENCES users (id),
  merged_into_id      integer REFERENCES cases (id),
  -- The running time-limit step (null: none). step_no counts step starts, so one overdue
  -- event per running step can be enforced by a unique index.
  step                text CHECK (step IN ('intake', 'verify', 'file', 'dispatch', 'claim', 'sign', 'handle',
                                           'request_check', 'check', 'close')),
  step_no             integer NOT NULL DEFAULT 0,
  step_started_at     timestamptz,
  step_limit          jsonb,
  step_calendar_id    text,
  step_suspensions    jsonb NOT NULL DEFAULT '[]'::jsonb,
  step_extensions     jsonb NOT NULL DEFAULT '[]'::jsonb,
  step_yellow_at      timestamptz,
  step_deadline       timestamptz,
  light               text CHECK (light IN ('green', 'yellow', 'red')),
  counters            jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_seq            integer NOT NULL DEFAULT 0,
  version             integer NOT NULL DEFAULT 1,
  reported_at         timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz,
  CONSTRAINT cases_pending_shape CHECK ((pending_kind IS NULL) = (pending_role IS NULL)),
  CONSTRAINT cases_merge_shape CHECK ((state = 'merged') = (merged_into_id IS NOT NULL))
);
CREATE INDEX cases_grid_idx ON cases (grid_code text_pattern_ops);
CREATE INDEX cases_queue_idx ON cases (state, (coalesce(step_deadline, 'infinity'::timestamptz)), id);
CREATE INDEX cases_department_idx ON cases (department_id);
CREATE INDEX cases_location_gix ON cases USING gist (location);
-- What the sweeper scans: running steps whose light may have to change.
CREATE INDEX cases_sweep_idx ON cases (step_deadline) WHERE step IS NOT NULL AND light <> 'red';

CREATE TABLE case_photos (
  case_id    integer NOT NULL REFERENCES cases (id),
  sha256     text NOT NULL REFERENCES media (sha256),
  phase      text NOT NULL CHECK (phase IN ('before', 'after')),
  event_seq  integer NOT NULL,
  PRIMARY KEY (case_id, sha256, phase)
);
CREATE INDEX case_photos_sha_idx ON case_photos (sha256);

CREATE TABLE case_events (
  id         bigserial PRIMARY KEY,
  case_id    integer NOT NULL REFERENCES cases (id),
  seq        integer NOT NULL CHECK (seq > 0),
  action     text NOT NULL,
  actor_id   integer REFERENCES users (id),
  actor_role text NOT NULL,
  from_state text,
  to_state   text NOT NULL,
  reason     text,
  payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
  at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, seq)
);
CREATE INDEX case_events_action_idx ON case_events (action, at);
-- Exactly one overdue event per running step, even with several sweepers.
CREATE UNIQUE INDEX case_events_overdue_once ON case_events (case_id, ((payload ->> 'stepNo')))
  WHERE action = 'overdue';

-- The history is append-only: the database refuses edits and deletions.
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
