import { describe, expect, it } from 'vitest';
import { personNames } from './people.js';
import { mulberry32 } from './prng.js';

describe('personNames', () => {
  it('draws distinct 2–3 character Han names, none of those taken, the same for the same stream', () => {
    const names = personNames(mulberry32(5), 500, ['王伟']);
    expect(names).toHaveLength(500);
    expect(new Set(names).size).toBe(500);
    expect(names).not.toContain('王伟');
    for (const name of names) expect(name).toMatch(/^\p{Script=Han}{2,3}$/u);
    // Both one- and two-character given names occur.
    expect(names.some((n) => n.length === 2)).toBe(true);
    expect(names.some((n) => n.length === 3)).toBe(true);
    expect(personNames(mulberry32(5), 500, ['王伟'])).toEqual(names);
    expect(personNames(mulberry32(6), 500)).not.toEqual(names);
  });

  it('never repeats a character in a two-character given name (叠字 reads as a nickname)', () => {
    for (const name of personNames(mulberry32(9), 2000))
      if (name.length === 3) expect(name[1]).not.toBe(name[2]);
  });
});
