-- Unit grids (单元网格), GB/T 30428.1: 15-digit code = community (12) + 3-digit sequence.
CREATE TABLE grids (
  code           text PRIMARY KEY,
  community_code text NOT NULL REFERENCES divisions (code),
  seq            integer NOT NULL CHECK (seq BETWEEN 1 AND 999),
  area_class     text NOT NULL DEFAULT 'B' CHECK (area_class IN ('A', 'B', 'C')),
  geom           geometry(Polygon, 4326) NOT NULL,
  area_m2        double precision NOT NULL CHECK (area_m2 > 0),
  valid_from     date NOT NULL DEFAULT current_date,
  valid_to       date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT grids_code_shape CHECK (code ~ '^[0-9]{15}$'),
  CONSTRAINT grids_code_in_community CHECK (substr(code, 1, 12) = community_code),
  CONSTRAINT grids_seq_matches_code CHECK (seq = substr(code, 13, 3)::integer),
  CONSTRAINT grids_geom_valid CHECK (ST_IsValid(geom)),
  CONSTRAINT grids_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX grids_geom_gix ON grids USING gist (geom);
CREATE INDEX grids_community_idx ON grids (community_code);

-- Grids a supervisor patrols (verification and check tasks go to them).
CREATE TABLE supervisor_grids (
  user_id   integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  grid_code text NOT NULL REFERENCES grids (code),
  PRIMARY KEY (user_id, grid_code)
);
CREATE INDEX supervisor_grids_grid_idx ON supervisor_grids (grid_code);
