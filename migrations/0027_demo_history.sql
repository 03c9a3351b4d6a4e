-- The demo city's recent history, written in the background after a first start (issue 13,
-- "A living demo"). The plan is fixed once (span, volume, seed and the instant the history ends),
-- so a server stopped midway continues the same history after a restart and never writes a case
-- twice: each day records how many of its generated cases are in, in the same transaction as
-- the cases themselves.
CREATE TABLE demo_history_plans (
  id             int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  first_day      date NOT NULL,
  days           int NOT NULL CHECK (days > 0),
  cases_per_day  int NOT NULL CHECK (cases_per_day > 0),
  seed           int NOT NULL,
  -- Events after this instant are not history: the live simulation takes over from here.
  until          timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);

CREATE TABLE demo_history_days (
  day            date PRIMARY KEY,
  -- Position in the day's generated stream up to which cases are written.
  written        int NOT NULL DEFAULT 0,
  cases          int NOT NULL DEFAULT 0,
  events         int NOT NULL DEFAULT 0,
  done           boolean NOT NULL DEFAULT false,
  -- A day someone else already numbered cases on (a report made before its history came).
  skipped        boolean NOT NULL DEFAULT false
);
