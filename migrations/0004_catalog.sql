-- Category catalog (管理部件和事件, GB/T 30428.2 and GB/T 47678.5) and the city's
-- "立案、处置与结案标准及处置责任分解表" (standards), versioned by effective date.

-- A code scheme: 'gbt30428' (2-digit major + 2-digit minor) or 'gbt47678' (2 + 3).
CREATE TABLE category_schemes (
  code        text PRIMARY KEY CHECK (code IN ('gbt30428', 'gbt47678')),
  name        text NOT NULL,
  minor_digits integer NOT NULL CHECK (minor_digits IN (2, 3))
);
INSERT INTO category_schemes VALUES
  ('gbt30428', 'GB/T 30428.2-2013 数字化城市管理信息系统 第2部分：管理部件和事件', 2),
  ('gbt47678', 'GB/T 47678.5-2026 城市运行管理服务平台 第5部分', 3);

-- The tree 大类 (major) → 小类 (minor) → 细类 (detail, local). `code` is the full code within
-- its kind: major '01', minor '0101' (or '01001'), detail minor + 2 digits ('010101').
CREATE TABLE categories (
  id          serial PRIMARY KEY,
  scheme      text NOT NULL REFERENCES category_schemes (code),
  kind        text NOT NULL CHECK (kind IN ('component', 'event')),
  level       text NOT NULL CHECK (level IN ('major', 'minor', 'detail')),
  code        text NOT NULL CHECK (code ~ '^[0-9]{2}([0-9]{2,3}([0-9]{2})?)?$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  parent_id   integer REFERENCES categories (id),
  -- Rows of the national list, rows derived from it until the official list is imported
  -- ('provisional': the GB/T 47678.5 codes seeded by zero-padding), a city's own extensions
  -- (07+ majors, extra minors, 细类).
  origin      text NOT NULL DEFAULT 'standard' CHECK (origin IN ('standard', 'provisional', 'local')),
  note        text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scheme, kind, code),
  CONSTRAINT categories_level_shape CHECK (
    (level = 'major' AND parent_id IS NULL AND length(code) = 2)
    OR (level = 'minor' AND parent_id IS NOT NULL AND length(code) IN (4, 5))
    OR (level = 'detail' AND parent_id IS NOT NULL AND length(code) IN (6, 7))
  )
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

-- Same class in the two schemes (minor ↔ minor, detail ↔ detail).
CREATE TABLE category_mappings (
  from_id integer NOT NULL REFERENCES categories (id),
  to_id   integer NOT NULL REFERENCES categories (id),
  PRIMARY KEY (from_id, to_id),
  CHECK (from_id <> to_id)
);
-- One counterpart per class: lookups through the mapping must be unambiguous.
CREATE UNIQUE INDEX category_mappings_from_key ON category_mappings (from_id);
CREATE UNIQUE INDEX category_mappings_to_key ON category_mappings (to_id);

-- A version of the standards table. Drafts are edited; publishing fixes the content and the
-- date from which it applies. Cases keep the version they were filed under.
CREATE TABLE standard_versions (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  effective_from date,
  note           text,
  created_by     integer REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz,
  CONSTRAINT standard_versions_published CHECK (
    (status = 'draft' AND published_at IS NULL)
    OR (status = 'published' AND published_at IS NOT NULL AND effective_from IS NOT NULL)
  )
);
-- Two published versions never take effect on the same day.
CREATE UNIQUE INDEX standard_versions_effective_key ON standard_versions (effective_from) WHERE status = 'published';

-- One row per 小类 / 细类 per version: conditions, urgency, responsible departments.
CREATE TABLE category_standards (
  version_id         integer NOT NULL REFERENCES standard_versions (id) ON DELETE CASCADE,
  category_id        integer NOT NULL REFERENCES categories (id),
  filing_conditions  text NOT NULL DEFAULT '',
  closing_conditions text NOT NULL DEFAULT '',
  default_urgency    text NOT NULL DEFAULT 'normal' CHECK (default_urgency IN ('normal', 'urgent', 'emergency')),
  -- Department codes in order of preference (the responsibility table refines by area).
  department_codes   text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (version_id, category_id)
);

-- Time limit of one step for one area class (A core / B general / C other).
CREATE TABLE category_time_limits (
  version_id  integer NOT NULL REFERENCES standard_versions (id) ON DELETE CASCADE,
  category_id integer NOT NULL REFERENCES categories (id),
  step        text NOT NULL CHECK (step IN ('intake', 'verify', 'file', 'dispatch', 'claim', 'sign', 'handle',
                                             'request_check', 'check', 'close')),
  area_class  text NOT NULL CHECK (area_class IN ('A', 'B', 'C')),
  amount      numeric NOT NULL CHECK (amount > 0 AND amount <= 10000),
  unit        text NOT NULL CHECK (unit IN ('working_hours', 'working_days', 'calendar_hours', 'minutes')),
  PRIMARY KEY (version_id, category_id, step, area_class),
  FOREIGN KEY (version_id, category_id) REFERENCES category_standards (version_id, category_id) ON DELETE CASCADE
);
