-- Comprehensive evaluation (综合评价, domain.md §5). Figures are always recomputed from the case
-- event log; what is stored here is the schemes (as versioned data) and published results, which
-- are frozen: editing a scheme adds a version, and a publication keeps its rows and the version
-- it was scored with forever.

CREATE TABLE evaluation_schemes (
  id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  subject_type text NOT NULL CHECK (subject_type IN ('department', 'supervisor', 'intake', 'shift_leader',
                                                     'dispatcher', 'grid', 'community', 'street', 'district')),
  shipped      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per version; a version is never changed (a new one is added instead).
CREATE TABLE evaluation_scheme_versions (
  scheme_id   text NOT NULL REFERENCES evaluation_schemes (id),
  version     integer NOT NULL CHECK (version > 0),
  name_zh     text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
  name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  indicators  jsonb NOT NULL,
  grades      jsonb NOT NULL,
  note        text CHECK (note IS NULL OR length(note) <= 500),
  created_by  integer REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scheme_id, version)
);

CREATE TABLE evaluation_publications (
  id            serial PRIMARY KEY,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  period_kind   text NOT NULL CHECK (period_kind IN ('day', 'week', 'month', 'quarter', 'year', 'custom')),
  period_from   timestamptz NOT NULL,
  period_to     timestamptz NOT NULL,
  filters       jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- subject type → { schemeId, version } used for the scores.
  schemes       jsonb NOT NULL,
  published_by  integer REFERENCES users (id),
  published_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_publications_period CHECK (period_from < period_to)
);

CREATE TABLE evaluation_publication_rows (
  publication_id integer NOT NULL REFERENCES evaluation_publications (id),
  subject_type   text NOT NULL,
  subject_id     text NOT NULL,
  subject_name   text NOT NULL,
  -- indicator key → { value, numerator, denominator }
  indicators     jsonb NOT NULL,
  composite      double precision,
  grade          text CHECK (grade IS NULL OR grade IN ('A', 'B', 'C', 'D', 'E')),
  rank           integer,
  PRIMARY KEY (publication_id, subject_type, subject_id)
);

-- Published results are frozen: the database refuses edits and deletions.
CREATE FUNCTION evaluation_published_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published evaluation results are frozen' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER evaluation_publications_frozen BEFORE UPDATE OR DELETE ON evaluation_publications
  FOR EACH ROW EXECUTE FUNCTION evaluation_published_frozen();
CREATE TRIGGER evaluation_publication_rows_frozen BEFORE UPDATE OR DELETE ON evaluation_publication_rows
  FOR EACH ROW EXECUTE FUNCTION evaluation_published_frozen();
CREATE TRIGGER evaluation_scheme_versions_frozen BEFORE UPDATE OR DELETE ON evaluation_scheme_versions
  FOR EACH ROW EXECUTE FUNCTION evaluation_published_frozen();

-- The evaluation reads the events of a period and the cases alive in it.
CREATE INDEX case_events_at_idx ON case_events (at);
CREATE INDEX cases_reported_at_idx ON cases (reported_at);
