-- Evaluation facts (issue 12): what the evaluation engine (src/domain/evaluation) reads of each
-- case and each event, kept as the loop runs, so an evaluation is aggregate SQL over these rows
-- instead of a replay of the event log. A projection of case_events: written in the transaction
-- that appends the event (modules/cases/advance.ts, the history seeder, the catalog move), and
-- recomputed from the log by `cityloop facts rebuild`. No foreign keys: derived and disposable.
--
-- Times are the ones of the log. Every "as of the period's end T" question is a comparison with
-- these times (voided before T: void_at < T …), which holds because a case's events are appended
-- in time order (seq order = time order).

-- One row per case.
CREATE TABLE eval_case_facts (
  case_id        bigint PRIMARY KEY,
  reported_at    timestamptz NOT NULL,
  source         text NOT NULL,
  kind           text NOT NULL,
  category_id    integer,
  category_code  text NOT NULL,
  area_class     text NOT NULL,
  grid_code      text NOT NULL,
  community_code text NOT NULL,
  street_code    text NOT NULL,
  district_code  text NOT NULL,
  -- The creating event (report / self_handle): when, which, by whom.
  created_at     timestamptz,
  creator_action text,
  creator_id     text,
  creator_role   text,
  -- First times: 立案 (file, or the creating self_handle), 结案 (close, or a self_handle that
  -- closes), 作废 (void_approve), 合并 (merge), the filing decision (file / reject / merge),
  -- 核查不通过 (check_fail), and a late 签收 / 处置 step after filing (按期结案).
  filed_at       timestamptz,
  closed_at      timestamptz,
  void_at        timestamptz,
  merge_at       timestamptz,
  decide_at      timestamptz,
  check_fail_at  timestamptz,
  late_handling_at timestamptz,
  -- The last event: its seq, time and the state it left (state at any T after last_at).
  last_seq       integer NOT NULL,
  last_at        timestamptz NOT NULL,
  state          text NOT NULL,
  -- The projector's running state (department in charge, late signings, last dispatch, filing seq).
  running        jsonb NOT NULL
);

CREATE INDEX eval_case_facts_created_idx ON eval_case_facts (created_at);
CREATE INDEX eval_case_facts_filed_idx ON eval_case_facts (filed_at);
CREATE INDEX eval_case_facts_void_idx ON eval_case_facts (void_at) WHERE void_at IS NOT NULL;
CREATE INDEX eval_case_facts_reported_idx ON eval_case_facts (reported_at);

-- One row per event.
CREATE TABLE eval_step_facts (
  case_id       bigint NOT NULL,
  seq           integer NOT NULL,
  at            timestamptz NOT NULL,
  -- The next event's time ('infinity' while this is the last): the event is the case's last as of
  -- T when at < T <= until_at.
  until_at      timestamptz NOT NULL DEFAULT 'infinity',
  action        text NOT NULL,
  actor_id      text,
  actor_role    text NOT NULL,
  from_state    text,
  to_state      text NOT NULL,
  -- The department the case was assigned to when the event happened.
  dept          text,
  -- The act was late: the step it stopped (its own step: 立案 for file, 派遣 for dispatch …; a
  -- feedback is late also after a late 签收), and whether a 签收 / 处置 step stopped late.
  act_late      boolean NOT NULL,
  handling_late boolean NOT NULL,
  -- The step running after the event and its deadline; overdue_from = greatest(at, deadline)
  -- while the step can be found overdue before the next event (null otherwise).
  clock_step    text,
  overdue_from  timestamptz,
  -- return_approve / check_fail: the dispatch they undid (its actor, when it was a 'dispatch').
  undone_role   text,
  undone_actor  text,
  PRIMARY KEY (case_id, seq)
);

CREATE INDEX eval_step_facts_at_idx ON eval_step_facts (at) INCLUDE (case_id, action);
CREATE INDEX eval_step_facts_overdue_idx ON eval_step_facts (until_at) WHERE overdue_from IS NOT NULL;
