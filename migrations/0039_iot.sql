-- 全物联 (issue 15): sensors on components (部件) reporting over MQTT. Devices, their types'
-- thresholds (editable by administrators), every raw message kept (partitioned by month), the
-- keys that make each message apply once, alarms and the maintenance tasks of sick devices.

-- A device type: what it measures and when a reading is an alarm. Thresholds are one JSON
-- object so a city can tune them without a migration: tiltDeg, waterLevelCm, gasLel,
-- temperatureC, batteryPct (an absent key: no alarm of that kind).
CREATE TABLE iot_device_types (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  thresholds  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(thresholds) = 'object'),
  updated_by  integer REFERENCES users (id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO iot_device_types (code, name, thresholds) VALUES
  ('cover_tilt', '井盖倾斜/移位监测终端', '{"tiltDeg": 10, "batteryPct": 20}'),
  ('cover_multi', '井盖多参数监测终端（倾斜、开启、水位、燃气、温度）',
   '{"tiltDeg": 10, "waterLevelCm": 10, "gasLel": 25, "temperatureC": 60, "batteryPct": 20}');

CREATE TABLE iot_devices (
  -- The id the device reports with (IMEI, serial …), kept as a string.
  id                    text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  type_code             text NOT NULL REFERENCES iot_device_types (code),
  model                 text CHECK (model IS NULL OR length(model) BETWEEN 1 AND 60),
  component_id          text NOT NULL REFERENCES components (id),
  installed_on          date,
  -- Heartbeat / report period; a device silent for 3 periods is offline.
  report_period_seconds integer NOT NULL DEFAULT 300 CHECK (report_period_seconds BETWEEN 10 AND 604800),
  battery_pct           smallint CHECK (battery_pct BETWEEN 0 AND 100),
  online                boolean NOT NULL DEFAULT true,
  last_seen_at          timestamptz,
  -- The latest normalised readings ({tiltDeg, lidOpen, waterLevelCm, …}).
  readings              jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX iot_devices_component_idx ON iot_devices (component_id);
CREATE INDEX iot_devices_silent_idx ON iot_devices (last_seen_at) WHERE online;

-- Every message as it arrived, applied or not (the audit trail of what devices said). Partitioned
-- by month so that retention drops whole partitions; the ingester creates the months it needs
-- (the default partition only catches a clock far off).
CREATE TABLE iot_raw_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  received_at  timestamptz NOT NULL DEFAULT now(),
  topic        text NOT NULL,
  payload      bytea NOT NULL,
  format       text NOT NULL CHECK (format IN ('json', 'frame', 'unknown')),
  device_id    text,
  -- The device's sequence number, or its timestamp in ms when it sends none: the message's key.
  message_key  text,
  status       text NOT NULL CHECK (status IN ('applied', 'duplicate', 'rejected')),
  reason       text,
  CHECK ((status = 'rejected') = (reason IS NOT NULL)),
  PRIMARY KEY (received_at, id)
) PARTITION BY RANGE (received_at);
CREATE TABLE iot_raw_messages_default PARTITION OF iot_raw_messages DEFAULT;
CREATE INDEX iot_raw_messages_device_idx ON iot_raw_messages (device_id, received_at);
CREATE INDEX iot_raw_messages_status_idx ON iot_raw_messages (status, received_at);

-- A message applies once: the first (device, key) wins; a redelivery finds its key here.
CREATE TABLE iot_message_keys (
  device_id    text NOT NULL,
  message_key  text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, message_key)
);
CREATE INDEX iot_message_keys_age_idx ON iot_message_keys (received_at);

-- An alarm of one device and kind, from raised to restored; at most one active per device and kind.
CREATE TABLE iot_alarms (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id    text NOT NULL REFERENCES iot_devices (id),
  component_id text NOT NULL REFERENCES components (id),
  kind         text NOT NULL CHECK (kind IN ('tilt', 'lid_open', 'water_level', 'gas', 'temperature',
                                             'low_battery', 'offline')),
  value        double precision,
  raised_at    timestamptz NOT NULL,
  restored_at  timestamptz,
  -- Public-space alarms go to a case; device faults to a maintenance task.
  case_id      integer REFERENCES cases (id),
  task_id      bigint,
  CHECK (restored_at IS NULL OR restored_at >= raised_at)
);
CREATE UNIQUE INDEX iot_alarms_active_key ON iot_alarms (device_id, kind) WHERE restored_at IS NULL;
CREATE INDEX iot_alarms_raised_idx ON iot_alarms (raised_at);
CREATE INDEX iot_alarms_case_idx ON iot_alarms (case_id);

-- 设备运维: a device offline or with a flat battery needs the vendor, not a public-space case.
CREATE TABLE iot_maintenance_tasks (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id  text NOT NULL REFERENCES iot_devices (id),
  kind       text NOT NULL CHECK (kind IN ('offline', 'low_battery')),
  opened_at  timestamptz NOT NULL,
  closed_at  timestamptz,
  note       text
);
CREATE UNIQUE INDEX iot_maintenance_open_key ON iot_maintenance_tasks (device_id, kind) WHERE closed_at IS NULL;

-- The open sensor case of a component is looked up at every alarm.
CREATE INDEX cases_iot_component_idx ON cases (component_code, id) WHERE source = 'iot';
