-- Collector anti-fraud (信息采集质量, issue 17): a perceptual hash per photo, the flags the rules
-- raise against supervisors' reports, the centre's review of each flag, and how far the scan
-- of new reports has come. Confirmed flags count in the collection company's evaluation.

-- dHash (64 bits, as a signed bigint) of a stored photo; near-same photos differ in few bits
-- (bit_count of the XOR). Photos that cannot be decoded get no row.
CREATE TABLE photo_hashes (
  sha256      text PRIMARY KEY REFERENCES media (sha256),
  dhash       bigint NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fraud_flags (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('photo_reuse', 'off_track', 'impossible_speed', 'burst',
                                                'quota_rush', 'copy')),
  case_id         integer NOT NULL REFERENCES cases (id),
  -- The reporting supervisor, held here because the company is judged by his team.
  reporter_id     integer NOT NULL REFERENCES users (id),
  -- The earlier report it points at (the reused photo's case, the copied case).
  related_case_id integer REFERENCES cases (id),
  evidence        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- open: waiting for review · confirmed: fraud, counts against the company · dismissed: not fraud.
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
  reason          text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  reviewed_by     integer REFERENCES users (id),
  reviewed_at     timestamptz,
  -- When the flagged report was made: evaluation periods and the queue's filters read it.
  reported_at     timestamptz NOT NULL,
  detected_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'open') = (reviewed_at IS NULL)),
  CHECK (status = 'open' OR (reason IS NOT NULL AND reviewed_by IS NOT NULL))
);
-- A rescan raises the same flag once (related case 0 when none).
CREATE UNIQUE INDEX fraud_flags_once ON fraud_flags (kind, case_id, coalesce(related_case_id, 0));
CREATE INDEX fraud_flags_queue ON fraud_flags (status, detected_at);
CREATE INDEX fraud_flags_reporter ON fraud_flags (reporter_id, reported_at) WHERE status = 'confirmed';

-- How far the scan of new reports has come (one row): the last case id judged.
CREATE TABLE fraud_scan_cursor (
  id           integer PRIMARY KEY CHECK (id = 1),
  last_case_id integer NOT NULL DEFAULT 0,
  scanned_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO fraud_scan_cursor (id, last_case_id)
  SELECT 1, coalesce(max(id), 0) FROM cases;

-- One supervisor's reports in time order (track, speed, bursts, the month's pace).
CREATE INDEX cases_reporter_time_idx ON cases (reported_by, reported_at) WHERE source = 'supervisor';
