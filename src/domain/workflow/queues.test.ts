import { describe, expect, it } from 'vitest';
import { activeStep, QUEUE_LABELS, queueOf } from './queues.js';
import { CASE_STATES, isTerminal } from './states.js';

describe('queueOf', () => {
  it.each([
    ['reported', '待受理'],
    ['verifying', '待核实'],
    ['pending_filing', '待立案'],
    ['filed', '待派遣'],
    ['ownership_dispute', '待权属确认'],
    ['dispatched', '待签收'],
    ['handling', '待处置'],
    ['handled', '待核查'],
    ['checking', '待核查'],
    ['pending_close', '待结案'],
    ['suspended', '挂账'],
  ] as const)('%s → %s', (state, zh) => {
    const queue = queueOf(state, null);
    expect(queue && QUEUE_LABELS[queue].zh).toBe(zh);
  });

  it('puts a case with a pending request in 待审批', () => {
    const q = queueOf('handling', { kind: 'extend', requestedBy: 'department' });
    expect(q && QUEUE_LABELS[q].zh).toBe('待审批');
  });

  it('has no queue and no running step for terminal states', () => {
    for (const state of CASE_STATES) {
      expect(queueOf(state, null) === null, state).toBe(isTerminal(state));
      if (isTerminal(state)) expect(activeStep(state)).toBeNull();
    }
    expect(activeStep('suspended')).toBeNull();
    expect(activeStep('handling')).toBe('handle');
  });
});
