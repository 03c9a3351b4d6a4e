-- 权属确认 at the city collaboration platform (市级协同平台): a case no department owns is
-- sent with candidate departments and a claim deadline; candidates claim or decline with a
-- reason; a coordinator settles online or records a joint-meeting decision (联席会议).

CREATE TABLE ownership_disputes (
  id                     serial PRIMARY KEY,
  case_id                integer NOT NULL REFERENCES cases (id),
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled', 'cancelled')),
  reason                 text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  claim_deadline         timestamptz NOT NULL,
  opened_by              integer REFERENCES users (id),
  opened_at              timestamptz NOT NULL DEFAULT now(),
  decision_mode          text CHECK (decision_mode IN ('online', 'joint_meeting')),
  decided_department_id  integer REFERENCES departments (id),
  decision_reason        text,
  meeting_held_on        date,
  meeting_minutes        text CHECK (meeting_minutes IS NULL OR length(meeting_minutes) BETWEEN 1 AND 5000),
  meeting_attachments    text[],
  responsibility_rule_id integer REFERENCES responsibility_rules (id) ON DELETE SET NULL,
  decided_by             integer REFERENCES users (id),
  decided_at             timestamptz,
  closed_at              timestamptz,
  CONSTRAINT ownership_disputes_settled_shape CHECK (
    (status = 'settled') = (decision_mode IS NOT NULL AND decided_department_id IS NOT NULL AND decided_at IS NOT NULL)
  ),
  CONSTRAINT ownership_disputes_meeting_shape CHECK (
    (decision_mode = 'joint_meeting') = (meeting_minutes IS NOT NULL AND meeting_held_on IS NOT NULL
                                         AND cardinality(meeting_attachments) > 0)
  )
);
-- A case has at most one open dispute.
CREATE UNIQUE INDEX ownership_disputes_open_once ON ownership_disputes (case_id) WHERE status = 'open';
CREATE INDEX ownership_disputes_status_idx ON ownership_disputes (status, claim_deadline);

CREATE TABLE ownership_claims (
  dispute_id    integer NOT NULL REFERENCES ownership_disputes (id),
  department_id integer NOT NULL REFERENCES departments (id),
  response      text NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'claimed', 'declined')),
  reason        text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 1000),
  responded_by  integer REFERENCES users (id),
  responded_at  timestamptz,
  PRIMARY KEY (dispute_id, department_id),
  CONSTRAINT ownership_claims_answer_shape CHECK ((response = 'pending') = (responded_at IS NULL)),
  CONSTRAINT ownership_claims_decline_reason CHECK (response <> 'declined' OR reason IS NOT NULL)
);
CREATE INDEX ownership_claims_department_idx ON ownership_claims (department_id);

-- Joint-meeting attachments are media rows; an array cannot carry a foreign key, so this
-- trigger keeps the reference honest.
CREATE FUNCTION ownership_disputes_attachments_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.meeting_attachments IS NOT NULL AND EXISTS (
    SELECT 1 FROM unnest(NEW.meeting_attachments) a(sha) WHERE NOT EXISTS (SELECT 1 FROM media m WHERE m.sha256 = a.sha)
  ) THEN
    RAISE EXCEPTION 'meeting attachment is not a stored media file' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ownership_disputes_attachments BEFORE INSERT OR UPDATE ON ownership_disputes
  FOR EACH ROW EXECUTE FUNCTION ownership_disputes_attachments_exist();
