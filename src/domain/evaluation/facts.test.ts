/**
 * Reading one case's log as of the period end (facts.ts), with hand-written logs. The period
 * is half-open, [from, to) (GB/T 30428.4 evaluates a period's events; the next period starts at
 * `to`), and a step is overdue at the period end only if its deadline lies before `to`.
 */
import { describe, expect, it } from 'vitest';
import {
  departmentOfDispatch,
  gridSupervisors,
  inPeriod,
  matchesFilters,
  stepLate,
  viewOf,
  viewsOf,
} from './facts.js';
import { G1, mk } from './fixtures.js';
import type { EvaluationQuery } from './types.js';

const t = (s: string): Date => new Date(`2026-${s}:00+08:00`);
const JAN: EvaluationQuery = { from: t('01-01T00:00'), to: t('02-01T00:00') };

describe('the half-open period [from, to)', () => {
  it('an instant at `from` is in, one at `to` is out', () => {
    expect(inPeriod({ at: t('01-01T00:00') }, JAN)).toBe(true);
    expect(inPeriod({ at: new Date(t('01-01T00:00').getTime() - 1) }, JAN)).toBe(false);
    expect(inPeriod({ at: new Date(t('02-01T00:00').getTime() - 1) }, JAN)).toBe(true);
    expect(inPeriod({ at: t('02-01T00:00') }, JAN)).toBe(false);
  });

  it('a case reported exactly at `to` belongs to the next period; one a minute before is seen', () => {
    const atEnd = mk('1', G1, 'supervisor', '0101', [
      '02-01T00:00 report s1 new>reported run:intake@02-01T01:00',
    ]);
    const before = mk('2', G1, 'supervisor', '0101', [
      '01-31T23:59 report s1 new>reported run:intake@02-01T01:00',
    ]);
    expect(viewsOf([atEnd, before], JAN).map((v) => v.id)).toEqual(['2']);
    expect(viewsOf([atEnd], { from: t('02-01T00:00'), to: t('03-01T00:00') }).map((v) => v.id)).toEqual([
      '1',
    ]);
  });

  it('events at or after `to` are invisible: the case is as it stood at the period end', () => {
    const c = mk('3', G1, 'supervisor', '0101', [
      '01-30T09:00 report s1 new>reported run:intake@01-30T10:00',
      '01-31T23:59 intake i1 reported>pending_filing ok:intake run:file@02-01T09:00',
      '02-01T00:00 file L1 pending_filing>filed ok:file run:dispatch@02-01T10:00',
    ]);
    const v = viewOf(c, JAN);
    expect(v.events.map((e) => e.action)).toEqual(['report', 'intake']);
    expect(v.stateAtEnd).toBe('pending_filing');
    expect(v.filing).toBeNull();
    expect(viewOf(c, { from: t('02-01T00:00'), to: t('03-01T00:00') }).filing?.action).toBe('file');
  });
});

describe('overdue at the period end', () => {
  const open = (deadline: string) =>
    mk('4', G1, 'supervisor', '0101', [
      '01-20T09:00 report s1 new>reported run:intake@01-20T10:00',
      `01-20T09:30 intake i1 reported>pending_filing ok:intake run:file@${deadline}`,
    ]);

  it('only when the running step’s deadline is before the period end', () => {
    expect(viewOf(open('01-31T23:59'), JAN).overdueAtEnd).toEqual({ step: 'file', dept: null });
    expect(viewOf(open('02-01T00:00'), JAN).overdueAtEnd).toBeNull(); // due at the very end: not yet late
    expect(viewOf(open('02-03T00:00'), JAN).overdueAtEnd).toBeNull();
    // The same case is overdue at the end of February.
    expect(
      viewOf(open('02-03T00:00'), { from: t('02-01T00:00'), to: t('03-01T00:00') }).overdueAtEnd,
    ).toEqual({
      step: 'file',
      dept: null,
    });
  });

  it('not while suspended (no deadline), nor without a running step', () => {
    const suspended = mk('5', G1, 'supervisor', '0101', ['01-10T09:00 report s1 new>reported run:handle@-']);
    expect(viewOf(suspended, JAN).overdueAtEnd).toBeNull();
    const closed = mk('6', G1, 'supervisor', '0101', ['01-10T09:00 self_handle s1 new>closed']);
    expect(viewOf(closed, JAN).overdueAtEnd).toBeNull();
  });

  it('names the department the case sits with', () => {
    const c = mk('7', G1, 'supervisor', '0101', [
      '01-10T09:00 report s1 new>reported ok:intake run:file@01-10T10:00',
      '01-10T09:10 file L1 pending_filing>filed ok:file run:dispatch@01-10T11:00',
      '01-10T09:20 dispatch D1 filed>dispatched ok:dispatch run:sign@01-10T12:00 dept:HW',
    ]);
    expect(viewOf(c, JAN).overdueAtEnd).toEqual({ step: 'sign', dept: 'HW' });
  });
});

describe('the case as read from its log', () => {
  it('follows the department through dispatch, return and re-dispatch; events in seq order', () => {
    const c = mk('8', G1, 'supervisor', '0101', [
      '01-10T09:00 report s1 new>reported',
      '01-10T09:10 file L1 pending_filing>filed',
      '01-10T09:20 dispatch D1 filed>dispatched dept:HW',
      '01-10T09:30 return_approve D1 dispatched>filed',
      '01-10T09:40 note s1 filed>filed',
      '01-10T09:50 dispatch D1 filed>dispatched dept:YL',
      '01-10T10:00 sign dept:YL dispatched>handling',
    ]);
    const shuffled = { ...c, events: [...c.events].reverse() };
    const v = viewOf(shuffled, JAN);
    expect(v.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The return is still the returning department's event; after it, nobody until re-dispatch.
    expect(v.events.map((e) => e.dept)).toEqual([null, null, 'HW', 'HW', null, 'YL', 'YL']);
  });

  it('takes the event’s own department over the one the case sits with', () => {
    const c = mk('9', G1, 'supervisor', '0101', [
      '01-10T09:00 report s1 new>reported',
      '01-10T09:20 dispatch D1 filed>dispatched dept:HW',
    ]);
    const withOwn = { ...c, events: c.events.map((e) => (e.seq === 2 ? { ...e, departmentCode: 'SZ' } : e)) };
    expect(viewOf(withOwn, JAN).events.map((e) => e.dept)).toEqual([null, 'SZ']);
  });

  it('the first 立案 and 结案; 作废 and 合并', () => {
    const c = mk('10', G1, 'supervisor', '0101', [
      '01-10T09:00 report s1 new>reported',
      '01-10T09:10 file L1 pending_filing>filed',
      '01-10T09:20 close L1 pending_close>closed',
      '01-10T09:30 file L2 pending_filing>filed',
      '01-10T09:40 close L2 pending_close>closed',
    ]);
    const v = viewOf(c, JAN);
    expect([v.creation?.seq, v.filing?.seq, v.closing?.seq, v.voided, v.merged]).toEqual([
      1,
      2,
      3,
      false,
      false,
    ]);
    const voided = mk('11', G1, 'c1', '0101', [
      '01-10T09:00 report c1 new>reported',
      '01-10T10:00 void_approve L1 filed>voided',
    ]);
    expect([viewOf(voided, JAN).voided, viewOf(voided, JAN).merged]).toEqual([true, false]);
    const merged = mk('12', G1, 'c1', '0101', [
      '01-10T09:00 report c1 new>reported',
      '01-10T10:00 merge i1 reported>merged',
    ]);
    expect([viewOf(merged, JAN).voided, viewOf(merged, JAN).merged]).toEqual([false, true]);
  });

  it('自行处置 files the case on the spot, and closes it when it was closed at once', () => {
    const closed = viewOf(mk('13', G1, 'supervisor', '0101', ['01-10T09:00 self_handle s1 new>closed']), JAN);
    expect([closed.creation?.seq, closed.filing?.seq, closed.closing?.seq]).toEqual([1, 1, 1]);
    const waiting = viewOf(
      mk('14', G1, 'supervisor', '0101', ['01-10T09:00 self_handle s1 new>pending_close']),
      JAN,
    );
    expect([waiting.filing?.seq, waiting.closing]).toEqual([1, null]);
  });

  it('no creation when the log does not start with 上报 or 自行处置', () => {
    const c = mk('15', G1, 'supervisor', '0101', ['01-10T09:00 note s1 reported>reported']);
    expect(viewOf(c, JAN).creation).toBeNull();
    expect(
      viewOf(mk('16', G1, 'supervisor', '0101', ['02-10T09:00 report s1 new>reported']), JAN),
    ).toMatchObject({
      events: [],
      creation: null,
      stateAtEnd: null,
      overdueAtEnd: null,
    });
  });
});

describe('filters', () => {
  // Reported 23:30 local (+08:00) = 15:30 UTC.
  const late = mk('17', G1, 'hotline', '0102', ['01-10T23:30 report c1 new>reported']);
  const q = (filters: EvaluationQuery['filters']) => matchesFilters(late, filters, 480);

  it('by category prefix, area class, source and kind; an empty list selects all', () => {
    expect(q(undefined)).toBe(true);
    expect(q({ categories: [], sources: [] })).toBe(true);
    expect(q({ categories: ['01'] })).toBe(true);
    expect(q({ categories: ['0101'] })).toBe(false);
    expect(q({ areaClasses: ['A'] })).toBe(true);
    expect(q({ areaClasses: ['B', 'C'] })).toBe(false);
    expect(q({ sources: ['hotline'] })).toBe(true);
    expect(q({ sources: ['supervisor'] })).toBe(false);
    expect(q({ kinds: ['event'] })).toBe(true);
    expect(q({ kinds: ['component'] })).toBe(false);
    expect(q({ categories: ['01'], kinds: ['component'] })).toBe(false);
    // A list selects a case matching any one of its entries.
    expect(q({ categories: ['09', '01'] })).toBe(true);
    expect(q({ sources: ['supervisor', 'hotline'] })).toBe(true);
  });

  it('by local hour, half-open, with slots across midnight', () => {
    expect(q({ timeSlots: [{ fromHour: 23, toHour: 24 }] })).toBe(true);
    expect(q({ timeSlots: [{ fromHour: 22, toHour: 23 }] })).toBe(false);
    expect(q({ timeSlots: [{ fromHour: 22, toHour: 6 }] })).toBe(true);
    expect(q({ timeSlots: [{ fromHour: 0, toHour: 6 }] })).toBe(false);
    expect(q({ timeSlots: [{ fromHour: 15, toHour: 16 }] })).toBe(false); // the UTC hour does not count
    expect(matchesFilters(late, { timeSlots: [{ fromHour: 15, toHour: 16 }] }, 0)).toBe(true);
    const early = mk('18', G1, 'hotline', '0102', ['01-10T05:00 report c1 new>reported']);
    expect(matchesFilters(early, { timeSlots: [{ fromHour: 22, toHour: 6 }] }, 480)).toBe(true);
    expect(matchesFilters(early, { timeSlots: [{ fromHour: 22, toHour: 5 }] }, 480)).toBe(false);
    expect(matchesFilters(early, { timeSlots: [{ fromHour: 5, toHour: 6 }] }, 480)).toBe(true);
    // A daytime slot starting after the hour does not hold it; [h, h) is empty, not the whole day.
    expect(matchesFilters(early, { timeSlots: [{ fromHour: 6, toHour: 10 }] }, 480)).toBe(false);
    expect(q({ timeSlots: [{ fromHour: 23, toHour: 23 }] })).toBe(false);
    expect(q({ timeSlots: [{ fromHour: 0, toHour: 0 }] })).toBe(false);
  });

  it('viewsOf applies the filters and the query offset', () => {
    expect(viewsOf([late], { ...JAN, filters: { sources: ['supervisor'] } })).toEqual([]);
    const slot = { timeSlots: [{ fromHour: 15, toHour: 16 }] };
    expect(viewsOf([late], { ...JAN, filters: slot })).toEqual([]);
    expect(viewsOf([late], { ...JAN, filters: slot, utcOffsetMinutes: 0 }).map((v) => v.id)).toEqual(['17']);
  });
});

it('gridSupervisors inverts the supervisors’ grids', () => {
  const m = gridSupervisors({ ...JAN, supervisorGrids: { s1: ['g1', 'g2'], s2: ['g2'] } });
  expect([...m.entries()]).toEqual([
    ['g1', ['s1']],
    ['g2', ['s1', 's2']],
  ]);
  expect(gridSupervisors(JAN).size).toBe(0);
});

describe('one event', () => {
  const e = mk('19', G1, 'supervisor', '0101', [
    '01-10T09:00 report s1 new>reported',
    '01-10T10:00 feedback dept:SZ handling>handled ok:verify late:handle',
  ]).events;

  it('stepLate: the named step stopped late; another step, or none, is on time', () => {
    expect(stepLate(e[1]!, 'handle')).toBe(true);
    expect(stepLate(e[1]!, 'verify')).toBe(false);
    expect(stepLate(e[1]!, 'sign')).toBe(false);
    expect(stepLate(e[0]!, 'handle')).toBe(false); // no steps stopped at all
  });

  it('departmentOfDispatch: the event’s own department, else the payload’s, else none', () => {
    expect(departmentOfDispatch({ ...e[0]!, departmentCode: 'HW' })).toBe('HW');
    expect(departmentOfDispatch({ ...e[0]!, payload: { department: { code: 'SZ' } } })).toBe('SZ');
    expect(departmentOfDispatch(e[0]!)).toBeNull();
  });
});
