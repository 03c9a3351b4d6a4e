-- 井盖专项 (issue 15, special-supervision.md §1): the cover register built on components, the
-- city's emergency limits (versioned: a flow keeps the limits in force when it began), and the
-- emergency flow of each cover case (警示围挡 → 临时覆盖 → 修复 → 核查) with each step's photos.

-- The limits are configuration: every change is a new row, the newest is in force.
CREATE TABLE cover_limits (
  id                      serial PRIMARY KEY,
  owner_on_site_minutes   integer NOT NULL CHECK (owner_on_site_minutes BETWEEN 30 AND 120),
  temporary_cover_hours   double precision NOT NULL CHECK (temporary_cover_hours > 0),
  repair_hours            double precision NOT NULL CHECK (repair_hours > 0),
  exception_repair_hours  double precision NOT NULL CHECK (exception_repair_hours >= repair_hours),
  check_hours             double precision NOT NULL CHECK (check_hours > 0),
  -- The dashboard's 重复井盖: the same cover again within this many days.
  repeat_window_days      integer NOT NULL CHECK (repeat_window_days BETWEEN 1 AND 365),
  created_by              integer REFERENCES users (id),
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (temporary_cover_hours <= repair_hours AND temporary_cover_hours * 60 >= owner_on_site_minutes)
);
-- Guangzhou 2021 (6 h / 36 h), Tianjin 2017 (on site in 30 min), Guangzhou 2017 (补缺 in 3 h).
INSERT INTO cover_limits (owner_on_site_minutes, temporary_cover_hours, repair_hours, exception_repair_hours,
                          check_hours, repeat_window_days)
VALUES (30, 3, 6, 36, 2, 30);

-- A cover is a component (部件) of a 井盖 class with what the special supervision needs beside it.
-- Its sensors are the iot_devices on the same component.
CREATE TABLE covers (
  component_id               text PRIMARY KEY REFERENCES components (id),
  cover_type                 text NOT NULL CHECK (cover_type IN ('rain', 'sewage', 'power', 'telecom', 'gas',
                                                                  'water', 'heat', 'other')),
  -- 权属单位 (answers for the cover) and 养护单位 (does the work), by department code.
  owner_department_code      text NOT NULL REFERENCES departments (code),
  maintainer_department_code text REFERENCES departments (code),
  road_class                 text NOT NULL CHECK (road_class IN ('expressway', 'arterial', 'secondary', 'branch')),
  road_name                  text CHECK (road_name IS NULL OR length(road_name) BETWEEN 1 AND 60),
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX covers_type_owner_idx ON covers (cover_type, owner_department_code);
CREATE INDEX covers_owner_idx ON covers (owner_department_code);
CREATE INDEX covers_maintainer_idx ON covers (maintainer_department_code);

-- The emergency flow of one cover case. Each step's deadline is stored when it becomes known
-- (computed by src/domain/covers/emergency.ts), so lists and the map filter overdue in SQL.
CREATE TABLE cover_flows (
  id                    bigserial PRIMARY KEY,
  case_id               integer NOT NULL UNIQUE REFERENCES cases (id),
  component_id          text NOT NULL REFERENCES covers (component_id),
  defect                text NOT NULL CHECK (defect IN ('missing', 'broken', 'displaced', 'loose', 'sunken',
                                                        'noisy', 'mixed')),
  noticed_at            timestamptz NOT NULL,
  limits_id             integer NOT NULL REFERENCES cover_limits (id),
  -- The 36 h exception (work cannot start), with its reason.
  exception_reason      text CHECK (exception_reason IS NULL OR length(exception_reason) BETWEEN 4 AND 500),
  exception_at          timestamptz,
  exception_by          integer REFERENCES users (id),
  barrier_due           timestamptz NOT NULL,
  temporary_cover_due   timestamptz NOT NULL,
  repair_due            timestamptz NOT NULL,
  check_due             timestamptz,
  barrier_at            timestamptz,
  temporary_cover_at    timestamptz,
  repair_at             timestamptz,
  check_at              timestamptz,
  opened_by             integer REFERENCES users (id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((exception_reason IS NULL) = (exception_at IS NULL)),
  -- Steps in order: none recorded before the one before it.
  CHECK (temporary_cover_at IS NULL OR barrier_at IS NOT NULL),
  CHECK (repair_at IS NULL OR temporary_cover_at IS NOT NULL),
  CHECK (check_at IS NULL OR repair_at IS NOT NULL),
  CHECK ((check_due IS NULL) = (repair_at IS NULL))
);
CREATE INDEX cover_flows_component_idx ON cover_flows (component_id, noticed_at);
CREATE INDEX cover_flows_open_idx ON cover_flows (noticed_at) WHERE check_at IS NULL;

-- Each step as recorded on site: when, by whom, with its photos (media sha256) and a note.
CREATE TABLE cover_flow_steps (
  flow_id       bigint NOT NULL REFERENCES cover_flows (id),
  step          text NOT NULL CHECK (step IN ('barrier', 'temporary_cover', 'repair', 'check')),
  at            timestamptz NOT NULL,
  photos        text[] NOT NULL CHECK (cardinality(photos) BETWEEN 1 AND 9),
  note          text CHECK (note IS NULL OR length(note) <= 500),
  recorded_by   integer REFERENCES users (id),
  recorded_role text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flow_id, step)
);

-- 巡查计划 by road class: daily, or weekly on a weekday, plus checks before and after storms.
CREATE TABLE cover_inspection_plans (
  id           serial PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  road_class   text NOT NULL CHECK (road_class IN ('expressway', 'arterial', 'secondary', 'branch')),
  frequency    text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  weekday      smallint CHECK (weekday BETWEEN 1 AND 7),
  storm_checks boolean NOT NULL DEFAULT true,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((frequency = 'weekly') = (weekday IS NOT NULL))
);

-- A supervisor's task of a plan on a day: the plan's road class in the supervisor's grids.
CREATE TABLE cover_inspection_tasks (
  id            bigserial PRIMARY KEY,
  plan_id       integer NOT NULL REFERENCES cover_inspection_plans (id),
  supervisor_id integer NOT NULL REFERENCES users (id),
  due_on        date NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('routine', 'before_storm', 'after_storm')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- Generating a day twice makes no second task.
  UNIQUE (plan_id, supervisor_id, due_on, reason)
);
CREATE INDEX cover_inspection_tasks_supervisor_idx ON cover_inspection_tasks (supervisor_id, due_on);

-- The result per cover: fine, or the defect seen (with photos).
CREATE TABLE cover_inspection_results (
  task_id      bigint NOT NULL REFERENCES cover_inspection_tasks (id),
  component_id text NOT NULL REFERENCES covers (component_id),
  result       text NOT NULL CHECK (result IN ('ok', 'missing', 'broken', 'displaced', 'loose', 'sunken', 'noisy',
                                                'mixed')),
  photos       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photos) <= 9),
  note         text CHECK (note IS NULL OR length(note) <= 500),
  at           timestamptz NOT NULL DEFAULT now(),
  CHECK (result = 'ok' OR cardinality(photos) >= 1),
  PRIMARY KEY (task_id, component_id)
);
