-- Outbound (issue 14): webhooks on case events and notifications through adapters.
--
-- A subscription names the events, districts and categories a client wants. Every case event
-- that matches is put in the outbox (webhook_deliveries) by the database itself, in the
-- transaction that appends the event, whichever service wrote it: nothing is announced that
-- was rolled back, and nothing committed is lost when the server stops before delivering.
CREATE TABLE webhook_subscriptions (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  url            text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 1000),
  -- The HMAC-SHA256 key of the X-CityLoop-Signature header (shown to the admin once).
  secret         text NOT NULL CHECK (length(secret) >= 16),
  -- Empty: every event type / district / category.
  event_types    text[] NOT NULL DEFAULT '{}',
  district_codes text[] NOT NULL DEFAULT '{}',
  category_codes text[] NOT NULL DEFAULT '{}',
  max_attempts   integer NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 50),
  active         boolean NOT NULL DEFAULT true,
  created_by     integer REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  subscription_id integer NOT NULL REFERENCES webhook_subscriptions (id),
  case_id         integer NOT NULL REFERENCES cases (id),
  event_id        bigint NOT NULL REFERENCES case_events (id),
  -- pending: to send (again); delivered; dead: given up after max_attempts (the dead-letter list).
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A worker sending it now; a lease that runs out (the process died) frees it again.
  locked_until    timestamptz,
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
-- What the worker scans: undelivered rows in order; a case's next event waits for the one before it.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, case_id, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (subscription_id, id) WHERE state = 'dead';

CREATE FUNCTION webhook_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active) THEN
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
  RETURN NULL;
END;
$$;
CREATE TRIGGER webhook_outbox AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION webhook_outbox();

-- Notification adapters: WeCom / DingTalk group robots (a webhook URL each) and an SMS gateway
-- (phones); each for some event types and districts, or for a department head's daily digest.
CREATE TABLE notify_channels (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind           text NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'sms')),
  url            text CHECK (url IS NULL OR (url ~ '^https?://' AND length(url) <= 1000)),
  -- DingTalk's 加签 secret (the timestamp+sign query); null: none.
  secret         text,
  phones         text[] NOT NULL DEFAULT '{}',
  event_types    text[] NOT NULL DEFAULT '{}',
  district_codes text[] NOT NULL DEFAULT '{}',
  -- The daily digest of this department (its head's group or phone); null: event notices only.
  digest_department_id integer REFERENCES departments (id),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notify_channels_target CHECK ((kind = 'sms') = (url IS NULL))
);

-- Every message sent or attempted (an SMS with no gateway configured is logged here only).
CREATE TABLE notify_log (
  id         bigserial PRIMARY KEY,
  channel_id integer REFERENCES notify_channels (id),
  kind       text NOT NULL,
  subject    text NOT NULL,
  body       text NOT NULL,
  outcome    text NOT NULL CHECK (outcome IN ('sent', 'failed', 'logged')),
  error      text,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notify_log_at ON notify_log (at);
