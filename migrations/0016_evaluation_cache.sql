-- Case-based evaluation tallies of finished periods (modules/evaluation/cache.ts). Derived and
-- disposable: a finished period's figures cannot change (events are appended at the time they
-- happen, so none lands before a period's end once it is over), the key holds everything else
-- they depend on (period, filters, scope, subject types, the reference data), and the table is
-- emptied at every start (new code may count differently) and by the history generator (the
-- one writer of past events).
CREATE TABLE evaluation_cache (
  key         text PRIMARY KEY CHECK (length(key) = 64),
  tallies     jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);
