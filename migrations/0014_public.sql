-- Public participation (公众参与) and idempotent writes for the field apps' offline outbox.

-- At-most-once POSTs: a row is claimed (unique key) before the request runs and completed with
-- the response afterwards. scope: 'u:<user id>' for a login, 'd:<device id>' / 'ip:<address>'
-- for anonymous citizens, so two users' equal keys never meet.
CREATE TABLE idempotency_keys (
  scope         text NOT NULL CHECK (length(scope) BETWEEN 1 AND 120),
  key           text NOT NULL CHECK (key ~ '^[A-Za-z0-9_:.-]{1,100}$'),
  -- sha256 of method, path and body: the same key with another request is refused.
  fingerprint   text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  -- Who holds the claim: a takeover of a stale claim gets a new token, so a late finisher of the
  -- first attempt cannot overwrite the second attempt's stored response.
  claim_token   text NOT NULL,
  claimed_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  status_code   integer CHECK (status_code IS NULL OR status_code BETWEEN 200 AND 499),
  content_type  text,
  response_body text,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (scope, key),
  CONSTRAINT idempotency_keys_completed_shape CHECK ((completed_at IS NULL) = (status_code IS NULL))
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- A report made on the citizen portal: the case plus what only the portal needs. The tracking
-- code (查询码) is what the citizen holds; the case id and number stay internal.
CREATE TABLE public_reports (
  case_id        integer PRIMARY KEY REFERENCES cases (id),
  tracking_code  text NOT NULL UNIQUE CHECK (tracking_code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
  device_id      text,
  ip             text,
  phone_verified boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Satisfaction (满意度) after closing: one per case, enforced by the key.
CREATE TABLE public_ratings (
  case_id      integer PRIMARY KEY REFERENCES public_reports (case_id),
  satisfaction smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  comment      text CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 500),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Citizen text waits here; the public sees it only once approved (先审后发). Banned words and
-- phone-number-like strings flag an item so moderators take it first.
CREATE TABLE public_moderation (
  id          bigserial PRIMARY KEY,
  case_id     integer NOT NULL REFERENCES public_reports (case_id),
  kind        text NOT NULL CHECK (kind IN ('description', 'comment')),
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
  flags       text[] NOT NULL DEFAULT '{}',
  decided_by  integer REFERENCES users (id),
  decided_at  timestamptz,
  reason      text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, kind),
  CONSTRAINT public_moderation_decided_shape CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE INDEX public_moderation_queue_idx ON public_moderation (state, created_at);

-- Photos a moderator has cleared for the public map (faces, plates, private places are not).
CREATE TABLE public_photos (
  case_id integer NOT NULL REFERENCES cases (id),
  sha256  text NOT NULL REFERENCES media (sha256),
  PRIMARY KEY (case_id, sha256)
);

-- Photos uploaded anonymously (metadata already stripped), with where they came from.
CREATE TABLE public_uploads (
  sha256     text PRIMARY KEY REFERENCES media (sha256),
  device_id  text,
  ip         text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public_banned_words (
  word text PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 50)
);
INSERT INTO public_banned_words (word) VALUES ('傻逼'), ('操你'), ('法轮'), ('赌博网站'), ('代开发票'), ('办证');

-- Phone verification codes (only with PUBLIC_PHONE_VERIFY=true): stored as a salted hash,
-- a few attempts, a short life, used once.
CREATE TABLE public_phone_codes (
  id          uuid PRIMARY KEY,
  phone       text NOT NULL CHECK (phone ~ '^\+?[0-9-]{5,20}$'),
  salt        text NOT NULL,
  code_hash   text NOT NULL,
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_phone_codes_phone_idx ON public_phone_codes (phone, created_at);

-- Fixed-window counters for the public endpoints' rate limits: in the database, so several
-- server processes share one count.
CREATE TABLE public_rate_limits (
  bucket       text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX public_rate_limits_window_idx ON public_rate_limits (window_start);
