import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GBT47678_CLASSES, NATIONAL_CLASSES, REVIEWED_MAPPING } from './index.js';

/** The automatic name match the review started from (test fixture; never read by the product). */
const AUTO = new URL('../../../test/fixtures/catalog/gbt30428-to-47678-by-name.csv', import.meta.url);

function automatic(): Map<string, string[]> {
  const [, ...lines] = fs.readFileSync(AUTO, 'utf8').trim().split('\n');
  const out = new Map<string, string[]>();
  for (const l of lines) {
    const [kind, from, , to] = l.split(',');
    const key = `${kind}:${from}`;
    out.set(key, [...(out.get(key) ?? []), ...(to ? [to] : [])]);
  }
  return out;
}

const row = (kind: string, from: string) => {
  const r = REVIEWED_MAPPING.find((m) => m.kind === kind && m.from === from);
  if (!r) throw new Error(`${kind} ${from} missing`);
  return r;
};

describe('reviewed mapping GB/T 30428.2 → GB/T 47678.5', () => {
  it('accounts for every 30428.2 class exactly once: mapped, or explicitly unmapped with a reason', () => {
    const keys = REVIEWED_MAPPING.map((m) => `${m.kind}:${m.from}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(NATIONAL_CLASSES.map((c) => `${c.kind}:${c.majorCode}${c.minorCode}`).sort());
    for (const m of REVIEWED_MAPPING.filter((x) => x.to.length === 0)) {
      expect(m.basis).toBe('reviewed');
      expect(m.note?.length ?? 0).toBeGreaterThan(5);
    }
  });

  it('names only classes of the 47678.5 list, of the same kind, once per row', () => {
    const codes = new Set(GBT47678_CLASSES.map((c) => `${c.kind}:${c.code}`));
    for (const m of REVIEWED_MAPPING) {
      expect(new Set(m.to).size).toBe(m.to.length);
      for (const to of m.to) expect(codes.has(`${m.kind}:${to}`), `${m.kind} ${m.from} → ${to}`).toBe(true);
    }
  });

  it("keeps the automatic match where basis is 'name'; every changed row says why", () => {
    const auto = automatic();
    expect(auto.size).toBe(134);
    for (const m of REVIEWED_MAPPING) {
      const same =
        JSON.stringify([...(auto.get(`${m.kind}:${m.from}`) ?? [])].sort()) ===
        JSON.stringify([...m.to].sort());
      // "No counterpart" is always a review decision, with its reason.
      expect(m.basis, `${m.kind} ${m.from}`).toBe(same && m.to.length > 0 ? 'name' : 'reviewed');
      if (m.basis === 'reviewed') expect(m.note?.length ?? 0, `${m.kind} ${m.from}`).toBeGreaterThan(5);
      else expect(m.note).toBeUndefined();
    }
    expect(REVIEWED_MAPPING.filter((m) => m.basis === 'reviewed')).toHaveLength(35);
  });

  it('finds the renamed classes the name match missed and corrects its loose hits', () => {
    expect(row('component', '0101').to).toEqual(['01001']); // 上水井盖 → 供水井盖
    expect(row('component', '0107').to).toEqual(['01007']); // 通讯井盖 → 通信井盖
    expect(row('component', '0114').to).toEqual(['01023']); // 无主井盖 → 不明井盖
    expect(row('component', '0115').to).toEqual(['01027']); // 通讯交接箱 → 通信交接箱
    expect(row('component', '0409').to).toEqual(['04009']); // 绿地维护设施: not 04013 绿地
    expect(row('component', '0407').to).toEqual(['04007']); // 坐椅 / 座椅
    expect(row('event', '0111').to).toEqual(['06023']); // 河堤破损 → 堤岸破损
  });

  it('is many-to-many: splits, and several old classes on one new class', () => {
    expect(row('component', '0117').to).toEqual(['01030', '01031', '01032', '01033', '01034']);
    expect(row('component', '0307').to).toEqual(['03006', '03007']);
    const into = (kind: string, code: string) =>
      REVIEWED_MAPPING.filter((m) => m.kind === kind && m.to.includes(code)).map((m) => m.from);
    expect(into('component', '03006')).toEqual(['0306', '0307']);
    expect(into('event', '07003')).toEqual(['0202', '0203']);
  });

  it('04 突发事件 has no counterpart except the two classes that live on in 10 其他事项类', () => {
    const emergency = REVIEWED_MAPPING.filter((m) => m.kind === 'event' && m.from.startsWith('04'));
    expect(emergency.filter((m) => m.to.length > 0).map((m) => [m.from, m.to])).toEqual([
      ['0407', ['10001']],
      ['0408', ['10002']],
    ]);
    expect(emergency.filter((m) => m.to.length === 0)).toHaveLength(7);
    expect(REVIEWED_MAPPING.filter((m) => m.to.length === 0).map((m) => `${m.kind[0]}${m.from}`)).toEqual([
      'c0502',
      'c0601',
      'c0602',
      'e0401',
      'e0402',
      'e0403',
      'e0404',
      'e0405',
      'e0406',
      'e0409',
      'e0509',
    ]);
  });
});
