-- 责任分解表 (responsibility table): which department(s) handle a 小类 / 细类 in an area, in
-- order of preference. The most specific area wins (community > street > district > city);
-- a rule for one area class (A/B/C) beats the rule for all classes of the same area.

CREATE TABLE responsibility_rules (
  id               serial PRIMARY KEY,
  category_id      integer NOT NULL REFERENCES categories (id),
  -- A division of any level; a case matches when its grid code starts with the division's
  -- scope prefix (divisions.scope_prefix).
  area_code        text NOT NULL REFERENCES divisions (code),
  area_class       text CHECK (area_class IN ('A', 'B', 'C')),
  department_codes text[] NOT NULL CHECK (cardinality(department_codes) BETWEEN 1 AND 10),
  note             text CHECK (note IS NULL OR length(note) <= 500),
  -- China local dates, both inclusive; null = open-ended.
  valid_from       date,
  valid_to         date,
  created_by       integer REFERENCES users (id),
  updated_by       integer REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT responsibility_rules_validity CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
-- One rule per class × area × area class; validity narrows when it applies.
CREATE UNIQUE INDEX responsibility_rules_key
  ON responsibility_rules (category_id, area_code, (coalesce(area_class, '*')));
CREATE INDEX responsibility_rules_area_idx ON responsibility_rules (area_code);
