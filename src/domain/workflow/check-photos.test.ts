import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import type { CaseSnapshot } from './states.js';
import { ALL_FACTS } from './testkit.js';

/**
 * 核查须拍照: the standards table can ask for site photos with the supervisor's 核查. The service
 * answers `checkPhotosGiven` (photos attached, or none asked); without it neither outcome goes.
 */
describe('check photos (核查须拍照)', () => {
  const checking: CaseSnapshot = { state: 'checking', pending: null };
  const supervisor = { role: 'supervisor' } as const;

  it('refuses pass and fail when the standard asks for photos and none come', () => {
    for (const action of ['check_pass', 'check_fail'] as const) {
      const d = decide(checking, action, supervisor, { ...ALL_FACTS, checkPhotosGiven: false });
      expect(d).toMatchObject({ ok: false, code: 'GUARD_FAILED', guard: 'has_check_photos' });
      expect(d.ok ? '' : d.message.zh).toContain('核查须上传现场照片');
    }
  });

  it('a missing fact fails closed, like every guard fact', () => {
    const { checkPhotosGiven: _omitted, ...rest } = ALL_FACTS;
    expect(decide(checking, 'check_pass', supervisor, rest)).toMatchObject({
      ok: false,
      guard: 'has_check_photos',
    });
  });

  it('passes to 待结案 and fails back to 处置 (返工) when the photos are given', () => {
    expect(decide(checking, 'check_pass', supervisor, ALL_FACTS)).toMatchObject({
      ok: true,
      to: 'pending_close',
    });
    expect(decide(checking, 'check_fail', supervisor, ALL_FACTS)).toMatchObject({
      ok: true,
      to: 'handling',
      counters: ['rework'],
    });
  });

  it('asks nothing of the other steps that carry photos (核实, 处置反馈)', () => {
    const verifying: CaseSnapshot = { state: 'verifying', pending: null };
    expect(decide(verifying, 'verify', supervisor, { ...ALL_FACTS, checkPhotosGiven: false }).ok).toBe(true);
    const handling: CaseSnapshot = { state: 'handling', pending: null };
    expect(
      decide(handling, 'feedback', { role: 'handler' }, { ...ALL_FACTS, checkPhotosGiven: false }).ok,
    ).toBe(true);
  });
});
