-- Open311 GeoReport v2 (issue 14): other systems' apps report into the same intake as the console.
-- A case that came through Open311 says so in cases.source; which client posted it, under which
-- of its own ids, and the reporter's contact details (never answered to a GET) are kept beside it.

ALTER TABLE cases DROP CONSTRAINT cases_source_check;
ALTER TABLE cases ADD CONSTRAINT cases_source_check CHECK (source IN ('supervisor', 'public', 'hotline_12345',
  'video_ai', 'iot', 'leader', 'media', 'open311'));

-- A client system (an app built on Open311, a FixMyStreet install …): one API key of a service
-- account (migrations/0018) and its own rate limit.
CREATE TABLE open311_clients (
  id                    serial PRIMARY KEY,
  api_key_id            integer NOT NULL UNIQUE REFERENCES api_keys (id),
  name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Requests a minute, counted in public_rate_limits (shared by every server process).
  rate_limit_per_minute integer NOT NULL DEFAULT 120 CHECK (rate_limit_per_minute BETWEEN 1 AND 100000),
  active                boolean NOT NULL DEFAULT true,
  created_by            integer REFERENCES users (id),
  created_at            timestamptz NOT NULL DEFAULT now()
);

-- A service is a 小类 or 细类 of the catalog; what Open311 adds to it (keywords, a description,
-- hiding it) is edited by admins here.
CREATE TABLE open311_services (
  category_id integer PRIMARY KEY REFERENCES categories (id),
  keywords    text[] NOT NULL DEFAULT '{}',
  description text CHECK (description IS NULL OR length(description) BETWEEN 1 AND 500),
  hidden      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The questions a service asks (a service definition's attributes), in the spec's six datatypes.
CREATE TABLE open311_attributes (
  id                   serial PRIMARY KEY,
  category_id          integer NOT NULL REFERENCES categories (id),
  code                 text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
  variable             boolean NOT NULL DEFAULT true,
  datatype             text NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text',
                                                         'singlevaluelist', 'multivaluelist')),
  required             boolean NOT NULL DEFAULT false,
  datatype_description text CHECK (datatype_description IS NULL OR length(datatype_description) <= 200),
  position             integer NOT NULL DEFAULT 1 CHECK (position > 0),
  description          text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  -- [{ "key": "…", "name": "…" }]: the choices of a list, and only of a list.
  choices              jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(choices) = 'array'),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (category_id, code),
  CONSTRAINT open311_attributes_choices CHECK (
    (datatype IN ('singlevaluelist', 'multivaluelist')) = (jsonb_array_length(choices) > 0))
);

-- The loop's states as Open311 sees them: open / closed, and mySociety's extended statuses
-- (FixMyStreet). Editable by admins; the seed below is documented in docs/open311.md.
CREATE TABLE open311_status_map (
  state      text PRIMARY KEY CHECK (state IN ('reported', 'verifying', 'pending_filing', 'rejected', 'filed',
               'dispatched', 'ownership_dispute', 'handling', 'handled', 'checking', 'pending_close',
               'closed', 'suspended', 'voided', 'merged')),
  status     text NOT NULL CHECK (status IN ('open', 'closed')),
  extended   text NOT NULL CHECK (extended IN ('OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'ACTION_SCHEDULED',
               'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY', 'NO_FURTHER_ACTION',
               'INTERNAL_REFERRAL')),
  notes      text CHECK (notes IS NULL OR length(notes) <= 200),
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO open311_status_map (state, status, extended, notes) VALUES
  ('reported',          'open',   'OPEN',                        '已受理'),
  ('verifying',         'open',   'INVESTIGATING',               '核实中'),
  ('pending_filing',    'open',   'INVESTIGATING',               '待立案'),
  ('rejected',          'closed', 'NOT_COUNCILS_RESPONSIBILITY', '不予立案'),
  ('filed',             'open',   'ACTION_SCHEDULED',            '已立案'),
  ('dispatched',        'open',   'ACTION_SCHEDULED',            '已派遣至专业部门'),
  ('ownership_dispute', 'open',   'INTERNAL_REFERRAL',           '权属确认中'),
  ('handling',          'open',   'IN_PROGRESS',                 '处置中'),
  ('handled',           'open',   'IN_PROGRESS',                 '已处置，待核查'),
  ('checking',          'open',   'IN_PROGRESS',                 '核查中'),
  ('pending_close',     'open',   'IN_PROGRESS',                 '待结案'),
  ('closed',            'closed', 'FIXED',                       '已结案'),
  ('suspended',         'open',   'ACTION_SCHEDULED',            '已挂账'),
  ('voided',            'closed', 'NO_FURTHER_ACTION',           '已作废'),
  ('merged',            'closed', 'DUPLICATE',                   '已合并至其他案卷');

-- What a client posted: its token, its own id (idempotency), the attributes and media URL, and
-- the reporter's contact details. The case row is written in the same transaction.
CREATE TABLE open311_requests (
  token       uuid PRIMARY KEY,
  client_id   integer NOT NULL REFERENCES open311_clients (id),
  external_id text CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100),
  -- What the first POST carried (sha256 of its parameters): the same id with another body is refused.
  fingerprint text NOT NULL,
  case_id     integer NOT NULL UNIQUE REFERENCES cases (id),
  service_code text NOT NULL,
  attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
  media_url   text CHECK (media_url IS NULL OR length(media_url) <= 1000),
  -- email, first_name, last_name, phone, device_id, account_id: personal data, never answered.
  contact     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, external_id)
);
CREATE INDEX open311_requests_client ON open311_requests (client_id, created_at);

-- Updates clients send on a case (mySociety's POST servicerequestupdates), once per update_id.
CREATE TABLE open311_updates (
  id          bigserial PRIMARY KEY,
  client_id   integer NOT NULL REFERENCES open311_clients (id),
  update_id   text NOT NULL CHECK (length(update_id) BETWEEN 1 AND 100),
  case_id     integer NOT NULL REFERENCES cases (id),
  status      text NOT NULL,
  description text NOT NULL CHECK (length(description) <= 4000),
  media_url   text CHECK (media_url IS NULL OR length(media_url) <= 1000),
  contact     jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at  timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, update_id)
);
CREATE INDEX open311_updates_case ON open311_updates (case_id, received_at);
