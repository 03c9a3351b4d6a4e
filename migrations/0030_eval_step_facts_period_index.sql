-- Evaluation facts (issue 12): an evaluation reads the period's events with what every family of
-- subject types asks of them (modules/evaluation/facts/evaluate-sql.ts, the first step). This
-- index holds those columns beside `at`, so the read is an index-only scan in time order instead
-- of a visit to a heap page per event (the step rows lie in case order, the period's events
-- scattered over them). It replaces the narrower index of 0024 on the same key.
CREATE INDEX eval_step_facts_period_idx ON eval_step_facts (at)
  INCLUDE (case_id, action, actor_id, actor_role, from_state, dept, act_late, undone_role, undone_actor);
DROP INDEX eval_step_facts_at_idx;
