-- 12345 hotline, both directions (issue 14). A hotline system is a client of its own: it sends
-- work orders with the API key of its service account and receives our answers (签收, 退单, 延期,
-- 办理结果) at its base URL, through an outbox that survives restarts and the hotline being down.
CREATE TABLE hotline_systems (
  id                     serial PRIMARY KEY,
  code                   text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{2,40}$'),
  name                   text NOT NULL,
  -- The service account whose API key the hotline uses: one system per account.
  service_user_id        integer NOT NULL UNIQUE REFERENCES users (id),
  -- Where our calls go (sign / return / extension / reply); null: nothing is sent.
  base_url               text CHECK (base_url ~ '^https?://'),
  -- Sent as "Authorization: Bearer …" on our calls to the hotline.
  outbound_token         text,
  -- The 小类 a work order is filed under when it names none of ours.
  default_category_kind  text NOT NULL CHECK (default_category_kind IN ('component', 'event')),
  default_category_code  text NOT NULL CHECK (default_category_code ~ '^[0-9]{4,7}$'),
  active                 boolean NOT NULL DEFAULT true,
  created_at             timestamptz NOT NULL DEFAULT now()
);

-- The hotline's limits, per system and 诉求类型 ('*' = any other type): sign within, return
-- within, reply (办结) within; counted on a working calendar of the calendar module.
CREATE TABLE hotline_limit_rules (
  id           serial PRIMARY KEY,
  system_id    integer NOT NULL REFERENCES hotline_systems (id) ON DELETE CASCADE,
  appeal_type  text NOT NULL CHECK (appeal_type IN ('*', '咨询', '求助', '投诉', '举报', '建议')),
  step         text NOT NULL CHECK (step IN ('sign', 'return', 'reply')),
  amount       numeric(8, 2) NOT NULL CHECK (amount > 0),
  unit         text NOT NULL CHECK (unit IN ('working_hours', 'working_days', 'calendar_hours', 'minutes')),
  calendar_id  text NOT NULL REFERENCES working_calendars (id),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (system_id, appeal_type, step)
);

CREATE TABLE hotline_orders (
  id               serial PRIMARY KEY,
  system_id        integer NOT NULL REFERENCES hotline_systems (id),
  order_no         text NOT NULL CHECK (length(order_no) BETWEEN 1 AND 64),
  -- Null only inside the transaction that files the case.
  case_id          integer UNIQUE REFERENCES cases (id),
  accepted_at      timestamptz NOT NULL,
  appeal_type      text NOT NULL CHECK (appeal_type IN ('咨询', '求助', '投诉', '举报', '建议')),
  appellant_name   text,
  appellant_phone  text,
  content          text NOT NULL,
  address          text NOT NULL,
  organizer        text,
  hotline_due_at   timestamptz,
  urgency          text NOT NULL CHECK (urgency IN ('一般', '紧急', '特急')),
  attachments      jsonb NOT NULL DEFAULT '[]',
  status           text NOT NULL DEFAULT 'received'
                   CHECK (status IN ('received', 'signed', 'returned', 'replied', 'reopened', 'finished')),
  sign_due_at      timestamptz,
  return_due_at    timestamptz,
  reply_due_at     timestamptz,
  signed_at        timestamptz,
  returned_at      timestamptz,
  return_reason    text,
  extension_asked  jsonb,
  replied_at       timestamptz,
  result           text CHECK (result IN ('解决', '未解决', '部分解决', '不办理退单')),
  public_reply     text,
  satisfaction     text CHECK (satisfaction IN ('不满意', '理解', '满意', '非常满意')),
  -- 重办 rounds: 0 until a dissatisfied 回访 reopens the case.
  round            integer NOT NULL DEFAULT 0,
  received_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (system_id, order_no)
);
CREATE INDEX hotline_orders_status ON hotline_orders (status, received_at DESC);

-- 回访 results as the hotline sent them; the visit id makes a repeated callback harmless.
CREATE TABLE hotline_visits (
  order_id      integer NOT NULL REFERENCES hotline_orders (id),
  visit_id      text NOT NULL CHECK (length(visit_id) BETWEEN 1 AND 64),
  satisfaction  text NOT NULL CHECK (satisfaction IN ('不满意', '理解', '满意', '非常满意')),
  comment       text,
  visited_at    timestamptz NOT NULL,
  round         integer NOT NULL,
  reopened      boolean NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, visit_id)
);

-- Our calls to the hotline. Written in the transaction of the change they report; delivered by
-- a sender that claims due rows (FOR UPDATE SKIP LOCKED), retries with backoff and sends the
-- row's key as Idempotency-Key so a call the hotline got but did not answer is not done twice.
CREATE TABLE hotline_outbox (
  id               bigserial PRIMARY KEY,
  system_id        integer NOT NULL REFERENCES hotline_systems (id),
  order_id         integer NOT NULL REFERENCES hotline_orders (id),
  kind             text NOT NULL CHECK (kind IN ('sign', 'return', 'extension', 'reply')),
  payload          jsonb NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hotline_outbox_due ON hotline_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
CREATE INDEX hotline_outbox_order ON hotline_outbox (order_id, id);
