-- Time limits per urgency, the calendar each step runs on, and when the department's clock
-- starts (issue 11, "Evaluation against the standard").

-- 1. A limit is written for one urgency level (一般 / 紧急 / 特急). Existing rows are the class's
--    own limits ('normal'); a 紧急 or 特急 case falls back to them where no stricter limit is
--    written (URGENCY_FALLBACK in src/domain/catalog/limits.ts). Published versions keep their
--    rows as they were: a city writes its 紧急 / 特急 limits into a new version.
ALTER TABLE category_time_limits
  ADD COLUMN urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'emergency'));
ALTER TABLE category_time_limits DROP CONSTRAINT category_time_limits_pkey;
ALTER TABLE category_time_limits ADD PRIMARY KEY (version_id, category_id, step, area_class, urgency);

-- 2. The centre (受理 / 立案 / 派遣 / 核查派发 / 结案) supervises 08:00–21:00 every day, holidays
--    included; before this its steps ran on office hours.
INSERT INTO working_calendars (id, name, utc_offset_minutes, weekly_hours) VALUES
  ('centre', '指挥中心值班时间', 480,
   '{"0": [[480, 1260]], "1": [[480, 1260]], "2": [[480, 1260]], "3": [[480, 1260]],
     "4": [[480, 1260]], "5": [[480, 1260]], "6": [[480, 1260]]}')
ON CONFLICT (id) DO NOTHING;

-- 3. Clock rules, append-only: each change is a new row, the latest one is in force, the rows
--    are its history. A step takes its calendar when it starts; the department's clock rule
--    applies to 处置 steps that start after the change.
CREATE TABLE clock_rules (
  id                    serial PRIMARY KEY,
  -- 'dispatch' (GB/T 30428.8: the department's time runs from 派遣, so a late 签收 is not
  -- given back) or 'sign' (处置 counts from 签收).
  department_clock_from text NOT NULL CHECK (department_clock_from IN ('dispatch', 'sign')),
  -- {"intake": "centre", …, "handle": "office"}: the working calendar of each time-limit step.
  step_calendars        jsonb NOT NULL,
  note                  text CHECK (note IS NULL OR length(note) <= 200),
  created_by            integer REFERENCES users (id),
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION clock_rules_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'clock_rules is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER clock_rules_no_update BEFORE UPDATE OR DELETE ON clock_rules
  FOR EACH ROW EXECUTE FUNCTION clock_rules_append_only();

INSERT INTO clock_rules (department_clock_from, step_calendars, note) VALUES
  ('dispatch',
   '{"intake": "centre", "verify": "supervision", "file": "centre", "dispatch": "centre",
     "claim": "office", "sign": "office", "handle": "office", "request_check": "centre",
     "check": "supervision", "close": "centre"}',
   '默认：指挥中心环节按中心值班时间，监督员环节按巡查时间，部门环节按办公时间；部门时限自派遣起算');
