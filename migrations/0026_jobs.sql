-- Background jobs (src/platform/jobs): work too long for a request — cold evaluations, case
-- exports — is queued here, claimed by a runner with FOR UPDATE SKIP LOCKED (any number of
-- server processes on PostgreSQL; the one process on the embedded store), and its progress,
-- cancellation and result are kept for the user who asked (`owner_id`) only.
--
-- pg-boss 10 is the queue the issue names for PostgreSQL; the embedded store needs a table of
-- its own anyway, and this one serves both behind the JobQueue port (src/platform/jobs/port.ts).
CREATE TABLE jobs (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL,
  owner_id         integer NOT NULL,
  -- The asker as the request saw them: the job runs with their rights and data scope.
  actor            jsonb NOT NULL,
  -- What reading the job needs besides being its owner (the asker may lose it meanwhile).
  permission       text NOT NULL,
  params           jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress         smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  message          text,
  cancel_requested boolean NOT NULL DEFAULT false,
  attempts         smallint NOT NULL DEFAULT 0,
  -- The runner working on it and when it last said so: a silent running job was orphaned by a
  -- process that died and is queued again.
  locked_by        text,
  heartbeat_at     timestamptz,
  result           jsonb,
  error            jsonb,
  file             bytea,
  file_name        text,
  file_ascii_name  text,
  file_type        text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  expires_at       timestamptz NOT NULL DEFAULT now() + interval '7 days'
);
CREATE INDEX jobs_queued ON jobs (created_at) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (heartbeat_at) WHERE state = 'running';
CREATE INDEX jobs_owner ON jobs (owner_id, kind, created_at DESC);
CREATE INDEX jobs_expires ON jobs (expires_at);
