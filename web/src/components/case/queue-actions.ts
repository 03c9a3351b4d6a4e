/**
 * What a work queue offers on its rows: the one action that moves a case out of the queue (the
 * normal way forward, opened in the same form as on the case page) and, where the step needs
 * no judgement per case, a batch of it: 批量立案, 批量派遣 to the suggested department.
 */
import type { Queue } from '../../../../src/domain/workflow/queues';
import type { CaseAction } from '../actions/specs';

/** The quick action of a queue's rows, per queue (the role working the queue may send it). */
export const QUEUE_ACTION: Partial<Record<Queue, CaseAction>> = {
  intake: 'intake',
  verify: 'verify',
  file: 'file',
  dispatch: 'dispatch',
  sign: 'sign',
  handle: 'feedback',
  check: 'request_check',
  close: 'close',
  suspended: 'resume',
};

/** Queues whose quick action may run on many cases at once. */
export type BatchKind = 'file' | 'dispatch';
export const BATCH_OF: Partial<Record<Queue, BatchKind>> = { file: 'file', dispatch: 'dispatch' };
