-- Per-event notices (issue 14): admins route case events — an urgent case filed, a case overdue,
-- a case returned, a 12345 order received, a sensor alarm … — to a group robot or SMS recipients.
--
-- A rule names the event types and filters (district, category prefix, urgency, source) and the
-- notification channel with its recipients (SMS phones, or the phones a robot message @-mentions).
-- Its notices go through the webhook outbox itself (webhook_deliveries, one row per rule and
-- event, written by the database in the transaction of the event): the same worker sends them
-- with the same lease, retries with backoff, order per case, dead letters and redelivery.
CREATE TABLE notify_rules (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  channel_id     integer NOT NULL REFERENCES notify_channels (id),
  -- Empty: every event type / district / category / urgency / source.
  event_types    text[] NOT NULL DEFAULT '{}',
  district_codes text[] NOT NULL DEFAULT '{}',
  -- Prefixes of category codes (a 大类 code covers its 小类 and 细类).
  category_codes text[] NOT NULL DEFAULT '{}',
  urgencies      text[] NOT NULL DEFAULT '{}' CHECK (urgencies <@ ARRAY['normal', 'urgent', 'emergency']),
  sources        text[] NOT NULL DEFAULT '{}',
  -- SMS: the phones to text (empty: the channel's own); robots: the phones to @-mention.
  recipients     text[] NOT NULL DEFAULT '{}',
  max_attempts   integer NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 50),
  active         boolean NOT NULL DEFAULT true,
  created_by     integer REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- A delivery is for a webhook subscription or for a notice rule, never both.
ALTER TABLE webhook_deliveries ALTER COLUMN subscription_id DROP NOT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN rule_id integer REFERENCES notify_rules (id);
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_target
  CHECK ((subscription_id IS NULL) <> (rule_id IS NULL));
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_rule_event UNIQUE (rule_id, event_id);
CREATE INDEX webhook_deliveries_rule_pending ON webhook_deliveries (rule_id, case_id, id)
  WHERE state = 'pending' AND rule_id IS NOT NULL;
CREATE INDEX webhook_deliveries_rule_dead ON webhook_deliveries (rule_id, id)
  WHERE state = 'dead' AND rule_id IS NOT NULL;

CREATE OR REPLACE FUNCTION webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active)
     AND NOT EXISTS (SELECT 1 FROM notify_rules WHERE active) THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_deliveries (subscription_id, case_id, event_id)
  SELECT s.id, e.case_id, e.id
  FROM appended e
  JOIN cases c ON c.id = e.case_id
  JOIN categories k ON k.id = c.category_id
  JOIN webhook_subscriptions s ON s.active
    AND (cardinality(s.event_types) = 0 OR e.action = ANY (s.event_types))
    AND (cardinality(s.district_codes) = 0 OR c.district_code = ANY (s.district_codes))
    AND (cardinality(s.category_codes) = 0 OR k.code = ANY (s.category_codes))
  ORDER BY e.case_id, e.seq, s.id;
  INSERT INTO webhook_deliveries (rule_id, case_id, event_id)
  SELECT r.id, e.case_id, e.id
  FROM appended e
  JOIN cases c ON c.id = e.case_id
  JOIN categories k ON k.id = c.category_id
  JOIN notify_rules r ON r.active
    AND (cardinality(r.event_types) = 0 OR e.action = ANY (r.event_types))
    AND (cardinality(r.district_codes) = 0 OR c.district_code = ANY (r.district_codes))
    AND (cardinality(r.category_codes) = 0
         OR EXISTS (SELECT 1 FROM unnest(r.category_codes) p WHERE left(k.code, length(p)) = p))
    AND (cardinality(r.urgencies) = 0 OR c.urgency = ANY (r.urgencies))
    AND (cardinality(r.sources) = 0 OR c.source = ANY (r.sources))
  JOIN notify_channels n ON n.id = r.channel_id AND n.active
  ORDER BY e.case_id, e.seq, r.id;
  RETURN NULL;
END;
$$;

-- Open311: the same client's POST with the same parameters and no external id, within a few
-- minutes, answers the first request (src/modules/open311/intake.ts); this finds it.
CREATE INDEX open311_requests_repeat ON open311_requests (client_id, fingerprint, created_at)
  WHERE external_id IS NULL;
