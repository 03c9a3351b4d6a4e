-- 月度分析报告 (issue #17): the wording administrators edit (one row per text key; a missing
-- row means the shipped default), and the reports made — at month end by the scheduler or on
-- demand — kept with the figures they were written from, so any reader of evaluations can
-- download them later and a test can compare the figures with the evaluation API's.
CREATE TABLE report_texts (
  key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-zA-Z0-9]{1,40}$'),
  text       text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE monthly_reports (
  id           serial PRIMARY KEY,
  month        text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  format       text NOT NULL CHECK (format IN ('docx', 'pdf')),
  -- 'schedule': made at month end; 'request': asked for in the console.
  origin       text NOT NULL CHECK (origin IN ('schedule', 'request')),
  figures      jsonb NOT NULL,
  file         bytea NOT NULL,
  file_name    text NOT NULL,
  created_by   integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monthly_reports_month_idx ON monthly_reports (month DESC, created_at DESC);
-- The scheduler makes one report per month, however many server processes tick.
CREATE UNIQUE INDEX monthly_reports_scheduled_once ON monthly_reports (month, format) WHERE origin = 'schedule';
