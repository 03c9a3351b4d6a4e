-- The base map drawn from the city's own data: a class per gazetteer road (how wide and from
-- which zoom it is drawn; NULL = derived from the name) and areas the gazetteer knows (parks,
-- water), in EPSG:4326. Rivers may be centre lines; parks are polygons.

ALTER TABLE gazetteer_roads
  ADD COLUMN road_class text CHECK (road_class IN ('main', 'secondary', 'minor'));

CREATE TABLE gazetteer_areas (
  id            serial PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  kind          text NOT NULL CHECK (kind IN ('park', 'water')),
  district_code text REFERENCES divisions (code),
  geom          geometry(Geometry, 4326) NOT NULL
    CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON', 'LINESTRING', 'MULTILINESTRING')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gazetteer_areas_geom_gix ON gazetteer_areas USING gist (geom);
