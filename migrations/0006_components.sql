-- Components (部件), GB/T 30428.2: id = division (6) + major (2) + minor (2) + sequence (6);
-- GB/T 47678.5 ids have a 3-digit minor (17 digits). The class is kept as its code text
-- (category_code + scheme), not as a key into `categories`, so the catalog can be re-seeded.
CREATE TABLE components (
  id             text PRIMARY KEY,
  scheme         text NOT NULL CHECK (scheme IN ('gbt30428', 'gbt47678')),
  division_code  text NOT NULL REFERENCES divisions (code),
  category_code  text NOT NULL,
  seq            integer NOT NULL CHECK (seq BETWEEN 1 AND 999999),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  -- 主管部门 / 权属单位 / 养护单位, by department code (what cases are dispatched to).
  managing_department_code    text REFERENCES departments (code),
  owning_department_code      text REFERENCES departments (code),
  maintaining_department_code text REFERENCES departments (code),
  grid_code      text NOT NULL REFERENCES grids (code),
  state          text NOT NULL DEFAULT 'intact' CHECK (state IN ('intact', 'damaged', 'missing', 'occupied')),
  start_date     date,
  change_date    date,
  data_source    text CHECK (data_source IS NULL OR length(data_source) BETWEEN 1 AND 60),
  accuracy_class text CHECK (accuracy_class IN ('A', 'B', 'C')),
  note           text CHECK (note IS NULL OR length(note) <= 500),
  geom           geometry(Point, 4326) NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT components_id_shape CHECK (
    (scheme = 'gbt30428' AND id ~ '^[0-9]{16}$' AND category_code ~ '^[0-9]{4}$')
    OR (scheme = 'gbt47678' AND id ~ '^[0-9]{17}$' AND category_code ~ '^[0-9]{5}$')
  ),
  CONSTRAINT components_id_parts CHECK (id = division_code || category_code || lpad(seq::text, 6, '0')),
  -- A district's component lies in that district's grids; a city-registered one anywhere in the city.
  CONSTRAINT components_grid_in_division CHECK (
    starts_with(grid_code, CASE WHEN division_code ~ '00$' THEN substr(division_code, 1, 4) ELSE division_code END)
  ),
  CONSTRAINT components_dates CHECK (change_date IS NULL OR start_date IS NULL OR change_date >= start_date)
);
-- Nearest-component search (KNN `<->`) and bbox filters.
CREATE INDEX components_geom_gix ON components USING gist (geom);
-- Prefix search on ids and scope by grid code are LIKE 'prefix%' whatever the collation.
CREATE INDEX components_id_prefix_idx ON components (id text_pattern_ops);
CREATE INDEX components_grid_idx ON components (grid_code text_pattern_ops);
-- Next free sequence of a division and class: max(seq) from this index.
CREATE UNIQUE INDEX components_sequence_key ON components (division_code, category_code, seq);
CREATE INDEX components_category_idx ON components (category_code, state);
CREATE INDEX components_owning_idx ON components (owning_department_code);
CREATE INDEX components_managing_idx ON components (managing_department_code);
CREATE INDEX components_maintaining_idx ON components (maintaining_department_code);
