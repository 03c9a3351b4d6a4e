-- Camera AI events (issue 14): a registry of cameras, the editable mapping from vendor event
-- codes to case categories with a confidence threshold, and every event received (its link to
-- the case it filed or was merged into, or its place in the review queue).
CREATE TABLE cameras (
  -- GB/T 28181 device id: 20 digits (centre 8 + industry 2 + type 3 + network 1 + serial 6).
  device_id      text PRIMARY KEY CHECK (device_id ~ '^[0-9]{20}$'),
  name           text NOT NULL,
  lng            double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  lat            double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  -- What the camera sees (e.g. 春熙路北口朝南), shown with its events.
  view           text,
  district_code  text NOT NULL CHECK (district_code ~ '^[0-9]{6}$'),
  active         boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE camera_event_mappings (
  id              serial PRIMARY KEY,
  -- A platform's own code space ('*' = any platform).
  vendor          text NOT NULL DEFAULT '*' CHECK (vendor ~ '^(\*|[a-z0-9_-]{1,40})$'),
  event_code      text NOT NULL CHECK (event_code ~ '^[A-Za-z0-9_.-]{1,40}$'),
  label           text NOT NULL,
  category_id     integer NOT NULL REFERENCES categories (id),
  -- Events at or above it file (or join) a case; below it they wait for review.
  min_confidence  numeric(4, 3) NOT NULL CHECK (min_confidence BETWEEN 0 AND 1),
  -- Repeats within this distance of an open case of the same class join it.
  merge_radius_m  integer NOT NULL DEFAULT 30 CHECK (merge_radius_m BETWEEN 1 AND 1000),
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (vendor, event_code)
);

CREATE TABLE camera_events (
  id             bigserial PRIMARY KEY,
  -- The platform's service account and its own event id: a replay is recognised by the two.
  source_user_id integer NOT NULL REFERENCES users (id),
  event_key      text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 128),
  device_id      text NOT NULL REFERENCES cameras (device_id),
  vendor         text NOT NULL,
  event_code     text NOT NULL,
  mapping_id     integer NOT NULL REFERENCES camera_event_mappings (id),
  occurred_at    timestamptz NOT NULL,
  confidence     numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  lng            double precision NOT NULL,
  lat            double precision NOT NULL,
  snapshot       text REFERENCES media (sha256),
  -- filed: made a case · merged: joined an open case · review: below the threshold, waiting ·
  -- accepted: reviewed into a case · rejected: reviewed as a false positive (kept).
  status         text NOT NULL CHECK (status IN ('filed', 'merged', 'review', 'accepted', 'rejected')),
  case_id        integer REFERENCES cases (id),
  reviewed_by    integer REFERENCES users (id),
  reviewed_at    timestamptz,
  received_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_user_id, event_key),
  CHECK ((status IN ('review', 'rejected')) = (case_id IS NULL))
);
CREATE INDEX camera_events_review ON camera_events (received_at) WHERE status = 'review';
CREATE INDEX camera_events_case ON camera_events (case_id);
