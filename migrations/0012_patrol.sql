-- Supervisor patrol (监督员巡查): duty shifts (在岗) and the position track the field app
-- uploads. The command map shows each supervisor's last position; evaluation (patrol time
-- coverage) and track playback read the track later.

CREATE TABLE patrol_shifts (
  id         bigserial PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at   timestamptz,
  CONSTRAINT patrol_shifts_order CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- At most one open shift per supervisor: two "go on duty" taps race into one shift.
CREATE UNIQUE INDEX patrol_shifts_open_once ON patrol_shifts (user_id) WHERE ended_at IS NULL;
CREATE INDEX patrol_shifts_user_time_idx ON patrol_shifts (user_id, started_at DESC);

CREATE TABLE patrol_positions (
  user_id     integer NOT NULL REFERENCES users (id),
  at          timestamptz NOT NULL,
  shift_id    bigint NOT NULL REFERENCES patrol_shifts (id),
  geom        geometry(Point, 4326) NOT NULL,
  accuracy_m  real CHECK (accuracy_m IS NULL OR (accuracy_m >= 0 AND accuracy_m <= 100000)),
  speed       real CHECK (speed IS NULL OR (speed >= 0 AND speed <= 100)),
  heading     real CHECK (heading IS NULL OR (heading >= 0 AND heading < 360)),
  received_at timestamptz NOT NULL DEFAULT now(),
  -- One fix per user and instant: a batch re-sent by an offline outbox is stored once. The key
  -- also serves "last position per user" (backward scan) and one user's track over a time range.
  PRIMARY KEY (user_id, at)
);
CREATE INDEX patrol_positions_shift_idx ON patrol_positions (shift_id);
CREATE INDEX patrol_positions_at_idx ON patrol_positions (at);
