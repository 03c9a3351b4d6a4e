-- Forecasts and anomaly alerts (issue 17). A forecast run counts the reported cases per local
-- day from eval_case_facts, per category (kind + 大类, or every category: '*') × area (a
-- district, a street, or the city: '*'), backtests Prophet beside the naive seasonal baseline
-- and keeps, per series, the errors and the method shown, and per day the band of the method
-- shown. Days already past keep the band they were forecast with, so a day is judged against
-- what was expected of it, not against a forecast made after it.

CREATE TABLE forecast_series (
  category_key  text NOT NULL CHECK (category_key ~ '^(\*|(event|component):[0-9]{2})$'),
  area_code     text NOT NULL CHECK (area_code ~ '^(\*|[0-9]{6}|[0-9]{9})$'),
  -- The last day counted (the day before the run, local).
  as_of         date NOT NULL,
  computed_at   timestamptz NOT NULL DEFAULT now(),
  method        text NOT NULL CHECK (method IN ('prophet', 'baseline')),
  reason        text NOT NULL CHECK (reason IN ('beats-baseline', 'not-better', 'short-history', 'failed')),
  mean_per_day  real NOT NULL,
  -- { model: {mase, mape, weeklyMape, coverage} | null, baseline: … | null, origins, horizon }
  backtest      jsonb NOT NULL,
  -- [{ from, point, lower, upper }] of the coming weeks.
  weeks         jsonb NOT NULL,
  PRIMARY KEY (category_key, area_code)
);

CREATE TABLE forecast_bands (
  category_key  text NOT NULL,
  area_code     text NOT NULL,
  day           date NOT NULL,
  method        text NOT NULL CHECK (method IN ('prophet', 'baseline')),
  point         real NOT NULL,
  lower         real NOT NULL,
  upper         real NOT NULL,
  PRIMARY KEY (category_key, area_code, day)
);

-- A day above its band: raised once per series and day (the unique key), the cases behind it
-- listed, and the shift leaders' channels told.
CREATE TABLE forecast_alerts (
  id            bigserial PRIMARY KEY,
  category_key  text NOT NULL,
  area_code     text NOT NULL,
  day           date NOT NULL,
  actual        integer NOT NULL,
  expected      real NOT NULL,
  upper         real NOT NULL,
  method        text NOT NULL,
  case_ids      bigint[] NOT NULL,
  notified      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (category_key, area_code, day)
);
CREATE INDEX forecast_alerts_day_idx ON forecast_alerts (day DESC);
