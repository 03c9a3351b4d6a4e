/**
 * The district's 数字城管中心 as one subject (the seed's "各区(市)县数字化城管中心"): its 受理,
 * 立案, 派遣 and 结案 work as a whole, and the 督办 orders on its cases. The subject id is the
 * district code; an act counts for the centre of the district the case is in, whoever of its
 * staff did it. The rules are the posts' (center.ts) with the centre in place of the person, so
 * a centre's figure is the union of its staff's: a case two operators both worked on counts
 * once, on time only if every act of the centre on it in the period was.
 */
import {
  DISPATCHER_INDICATORS,
  finishDispatcher,
  finishIntake,
  finishShiftLeader,
  INTAKE_INDICATORS,
  type PostSubject,
  SHIFT_LEADER_INDICATORS,
  tallyDispatcher,
  tallyIntake,
  tallyShiftLeader,
} from './center.js';
import type { CaseView } from './facts.js';
import { type IndicatorDef, Tally } from './tally.js';
import type { EvaluationQuery, SubjectResult } from './types.js';
import { tallyUrges, URGE_INDICATORS, urgesIn } from './urge.js';

export const CENTER_INDICATORS: readonly IndicatorDef[] = [
  ...INTAKE_INDICATORS,
  ...SHIFT_LEADER_INDICATORS,
  ...DISPATCHER_INDICATORS,
  ...URGE_INDICATORS,
];

/** The centre of the case's district, for acts done in one of the centre's roles. */
const CENTRE: PostSubject = (e, role, v) => (e.actorRole === role ? v.c.districtCode : null);

export function centerResults(views: readonly CaseView[], q: EvaluationQuery): SubjectResult[] {
  const t = new Tally();
  for (const v of views) {
    tallyIntake(t, v, q, CENTRE);
    tallyShiftLeader(t, v, q, CENTRE);
    tallyDispatcher(t, v, q, CENTRE);
    tallyUrges(t, v.c.districtCode, v, urgesIn(v, q).length);
  }
  finishIntake(t);
  finishShiftLeader(t);
  finishDispatcher(t);
  return t.results('center', CENTER_INDICATORS);
}
