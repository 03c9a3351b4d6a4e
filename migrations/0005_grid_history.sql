-- Grid history: splits, merges and imports end grids (valid_to) instead of deleting them, and
-- record which grids replaced which, when and by whom.

-- A grid replaced on the day it was created was never in force: valid_to = valid_from.
ALTER TABLE grids DROP CONSTRAINT grids_validity;
ALTER TABLE grids ADD CONSTRAINT grids_validity CHECK (valid_to IS NULL OR valid_to >= valid_from);
CREATE INDEX grids_current_community_idx ON grids (community_code) WHERE valid_to IS NULL;

CREATE TABLE grid_changes (
  id           serial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('import', 'split', 'merge')),
  effective_on date NOT NULL,
  actor_id     integer REFERENCES users (id),
  actor_name   text NOT NULL,
  reason       text CHECK (reason IS NULL OR length(reason) <= 500),
  at           timestamptz NOT NULL DEFAULT now()
);

-- What one change did to each grid it touched; a reshaped grid keeps its previous polygon.
CREATE TABLE grid_change_items (
  change_id           integer NOT NULL REFERENCES grid_changes (id),
  grid_code           text NOT NULL REFERENCES grids (code),
  role                text NOT NULL CHECK (role IN ('retired', 'created', 'reshaped', 'reclassified')),
  previous_geom       geometry(Polygon, 4326),
  previous_area_class text CHECK (previous_area_class IN ('A', 'B', 'C')),
  PRIMARY KEY (change_id, grid_code)
);
CREATE INDEX grid_change_items_grid_idx ON grid_change_items (grid_code);

-- predecessor → successor (split: 1 → N, merge: N → 1, import: by overlapping area).
CREATE TABLE grid_lineage (
  change_id        integer NOT NULL REFERENCES grid_changes (id),
  predecessor_code text NOT NULL REFERENCES grids (code),
  successor_code   text NOT NULL REFERENCES grids (code),
  PRIMARY KEY (predecessor_code, successor_code),
  CONSTRAINT grid_lineage_distinct CHECK (predecessor_code <> successor_code)
);
CREATE INDEX grid_lineage_successor_idx ON grid_lineage (successor_code);
