/** The pending-request slot, written out from domain.md §3: 回退, 延期, 挂账, 作废 each asked, approved or denied. */
import { describe, expect, it } from 'vitest';
import { requestEffect } from './requests.js';
import { CASE_ACTIONS } from './states.js';

describe('requestEffect', () => {
  it('names the kind and what the action does to it; other actions touch no request', () => {
    const want: Record<string, string> = {
      return_request: 'return open',
      return_approve: 'return approve',
      return_deny: 'return deny',
      extend_request: 'extend open',
      extend_approve: 'extend approve',
      extend_deny: 'extend deny',
      suspend_request: 'suspend open',
      suspend_approve: 'suspend approve',
      suspend_deny: 'suspend deny',
      void_request: 'void open',
      void_approve: 'void approve',
      void_deny: 'void deny',
    };
    for (const action of CASE_ACTIONS) {
      const e = requestEffect(action);
      expect(e === null ? null : `${e.kind} ${e.op}`, action).toBe(want[action] ?? null);
    }
  });
});
