-- Gazetteer (地名地址库, GB/T 30428.3 地理编码): roads, door addresses (门牌) and places (POI),
-- all in EPSG:4326. Names are matched with position()/LIKE in the service, which works on both
-- PostgreSQL and PGlite (no pg_trgm there), so only plain b-tree and GiST indexes are needed.

CREATE TABLE gazetteer_roads (
  id            serial PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
  -- Derived from name by the address parser ('红星路二段' → '红星路' + '二段') for matching.
  base_name     text NOT NULL CHECK (length(base_name) BETWEEN 1 AND 60),
  segment       text,
  aliases       text[] NOT NULL DEFAULT '{}',
  district_code text REFERENCES divisions (code),
  geom          geometry(LineString, 4326) NOT NULL,
  length_m      double precision NOT NULL CHECK (length_m > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gazetteer_roads_aliases_size CHECK (cardinality(aliases) <= 20)
);
CREATE UNIQUE INDEX gazetteer_roads_name_uq ON gazetteer_roads (name, coalesce(district_code, ''));
CREATE INDEX gazetteer_roads_base_idx ON gazetteer_roads (base_name);
CREATE INDEX gazetteer_roads_geom_gix ON gazetteer_roads USING gist (geom);

CREATE TABLE gazetteer_addresses (
  id             serial PRIMARY KEY,
  road_id        integer NOT NULL REFERENCES gazetteer_roads (id),
  -- '88号' or '88-1号' (normalised by the service); number_main = 88.
  number         text NOT NULL CHECK (number ~ '^[1-9][0-9]{0,4}(-[1-9][0-9]{0,3})?号$'),
  number_main    integer NOT NULL CHECK (number_main BETWEEN 1 AND 99999),
  geom           geometry(Point, 4326) NOT NULL,
  -- Resolved from the point when written (the unit grid covering it).
  grid_code      text REFERENCES grids (code),
  community_code text REFERENCES divisions (code),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (road_id, number)
);
CREATE INDEX gazetteer_addresses_number_idx ON gazetteer_addresses (road_id, number_main);
CREATE INDEX gazetteer_addresses_geom_gix ON gazetteer_addresses USING gist (geom);

CREATE TABLE gazetteer_pois (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  aliases        text[] NOT NULL DEFAULT '{}',
  category       text NOT NULL CHECK (length(category) BETWEEN 1 AND 20),
  address        text CHECK (address IS NULL OR length(address) <= 120),
  geom           geometry(Point, 4326) NOT NULL,
  grid_code      text REFERENCES grids (code),
  community_code text REFERENCES divisions (code),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gazetteer_pois_aliases_size CHECK (cardinality(aliases) <= 20)
);
CREATE INDEX gazetteer_pois_name_idx ON gazetteer_pois (name);
CREATE INDEX gazetteer_pois_geom_gix ON gazetteer_pois USING gist (geom);
