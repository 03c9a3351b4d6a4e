-- Working calendars (工作日历): weekly hours in local civil time of a fixed UTC offset, plus
-- dated exceptions (public holidays, make-up workdays 调休). Official dates are published once a
-- year (国务院办公厅 notice, usually in November), so admins add each year's days by API.
CREATE TABLE working_calendars (
  id                 text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{1,39}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  utc_offset_minutes integer NOT NULL CHECK (utc_offset_minutes BETWEEN -720 AND 840),
  -- {"0": [[start, end], …], …, "6": […]}: minute-of-day periods per weekday (0 = Sunday).
  weekly_hours       jsonb NOT NULL,
  -- Hours of a make-up workday; null = the Monday hours.
  makeup_hours       jsonb,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_days (
  calendar_id text NOT NULL REFERENCES working_calendars (id) ON DELETE CASCADE,
  day         date NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('holiday', 'makeup')),
  note        text CHECK (note IS NULL OR length(note) <= 60),
  PRIMARY KEY (calendar_id, day)
);

-- Office hours 08:30–12:00, 13:30–17:30 Mon–Fri (+08:00) with the 2026 arrangement
-- (国务院办公厅关于2026年部分节假日安排的通知); supervision 08:00–21:00 every day.
INSERT INTO working_calendars (id, name, utc_offset_minutes, weekly_hours) VALUES
  ('office', '办公时间', 480,
   '{"0": [], "1": [[510, 720], [810, 1050]], "2": [[510, 720], [810, 1050]], "3": [[510, 720], [810, 1050]],
     "4": [[510, 720], [810, 1050]], "5": [[510, 720], [810, 1050]], "6": []}'),
  ('supervision', '监督员巡查时间', 480,
   '{"0": [[480, 1260]], "1": [[480, 1260]], "2": [[480, 1260]], "3": [[480, 1260]],
     "4": [[480, 1260]], "5": [[480, 1260]], "6": [[480, 1260]]}');

INSERT INTO calendar_days (calendar_id, day, kind, note)
SELECT 'office', d::date, 'holiday', n FROM (VALUES
  ('2026-01-01', '2026-01-03', '元旦'),
  ('2026-02-15', '2026-02-23', '春节'),
  ('2026-04-04', '2026-04-06', '清明节'),
  ('2026-05-01', '2026-05-05', '劳动节'),
  ('2026-06-19', '2026-06-21', '端午节'),
  ('2026-09-25', '2026-09-27', '中秋节'),
  ('2026-10-01', '2026-10-07', '国庆节')
) AS h(a, b, n), generate_series(a::date, b::date, interval '1 day') AS d;

INSERT INTO calendar_days (calendar_id, day, kind, note) VALUES
  ('office', '2026-01-04', 'makeup', '元旦调休'),
  ('office', '2026-02-14', 'makeup', '春节调休'),
  ('office', '2026-02-28', 'makeup', '春节调休'),
  ('office', '2026-05-09', 'makeup', '劳动节调休'),
  ('office', '2026-09-20', 'makeup', '国庆节调休'),
  ('office', '2026-10-10', 'makeup', '国庆节调休');
