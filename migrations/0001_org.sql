-- Organisation: administrative divisions (GB/T 2260 style), departments, users.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE divisions (
  code         text PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level        text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
  parent_code  text REFERENCES divisions (code),
  -- Prefix that every descendant code (division or grid) starts with: data scope is a prefix test.
  scope_prefix text NOT NULL,
  boundary     geometry(MultiPolygon, 4326),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT divisions_code_shape CHECK (
    (level = 'city' AND code ~ '^[0-9]{4}00$' AND code !~ '0000$' AND parent_code IS NULL AND scope_prefix = substr(code, 1, 4))
    OR (level = 'district' AND code ~ '^[0-9]{6}$' AND code !~ '00$' AND scope_prefix = code)
    OR (level = 'street' AND code ~ '^[0-9]{9}$' AND scope_prefix = code AND substr(code, 1, 6) = parent_code)
    OR (level = 'community' AND code ~ '^[0-9]{12}$' AND scope_prefix = code AND substr(code, 1, 9) = parent_code)
  ),
  CONSTRAINT divisions_district_in_city CHECK (
    level <> 'district' OR (parent_code IS NOT NULL AND substr(code, 1, 4) = substr(parent_code, 1, 4))
  ),
  CONSTRAINT divisions_boundary_valid CHECK (boundary IS NULL OR ST_IsValid(boundary))
);
CREATE INDEX divisions_parent_idx ON divisions (parent_code);
CREATE INDEX divisions_boundary_gix ON divisions USING gist (boundary);

CREATE TABLE departments (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  parent_id     integer REFERENCES departments (id),
  -- Materialised path '/1/5/' of ids: a department's data scope is its subtree.
  path          text NOT NULL,
  division_code text NOT NULL REFERENCES divisions (code),
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT departments_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX departments_path_idx ON departments (path text_pattern_ops);

CREATE TABLE users (
  id                  serial PRIMARY KEY,
  username            text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
  display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
  role                text NOT NULL CHECK (role IN ('admin', 'leader', 'coordinator', 'shift_leader', 'dispatcher',
                                                    'intake', 'supervisor', 'department', 'handler', 'citizen', 'service')),
  division_code       text REFERENCES divisions (code),
  department_id       integer REFERENCES departments (id),
  phone               text CHECK (phone IS NULL OR phone ~ '^\+?[0-9-]{5,20}$'),
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  must_change_password boolean NOT NULL DEFAULT false,
  failed_attempts     integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until        timestamptz,
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- Department staff belong to a department, everyone else to a division.
  CONSTRAINT users_org_unit CHECK (
    (role IN ('department', 'handler') AND department_id IS NOT NULL AND division_code IS NULL)
    OR (role NOT IN ('department', 'handler') AND division_code IS NOT NULL AND department_id IS NULL)
  )
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_division_idx ON users (division_code);
CREATE INDEX users_department_idx ON users (department_id);
