-- Idempotency keys are now written in the transaction of the request they guard
-- (src/platform/http/idempotency.ts): a key row becomes visible only when committed together
-- with the request's changes and its stored answer, so a committed row is always complete and
-- a claim no longer needs an owner token to be taken over after a crash.
--
-- Claims the old scheme left open (a process that died mid-request) answered
-- IDEMPOTENCY_IN_PROGRESS for five minutes; nothing can complete them now, so they go and the
-- client's retry runs.
DELETE FROM idempotency_keys WHERE completed_at IS NULL;
ALTER TABLE idempotency_keys DROP COLUMN claim_token;
COMMENT ON COLUMN idempotency_keys.claimed_at IS 'when the request first ran (the row commits with its answer)';
