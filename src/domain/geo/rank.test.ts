import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';
import { type Candidate, explainMatches, rankCandidates, scoreCandidate } from './rank.js';

const door = (id: number, segment: string, number: string, district = '锦江区'): Candidate => ({
  kind: 'address',
  id,
  district,
  road: '红星路',
  segment,
  number,
  numberMain: Number.parseInt(number, 10),
});
const road = (id: number, segment: string, district = '锦江区'): Candidate => ({
  kind: 'road',
  id,
  district,
  road: '红星路',
  segment,
});

describe('ranking', () => {
  const candidates = [
    road(1, '二段'),
    door(10, '一段', '88号'),
    door(11, '二段', '88-1号'),
    door(12, '二段', '88号'),
    door(13, '二段', '88号', '青羊区'),
  ];

  it('puts the exact address first, then partial matches, each part explained', () => {
    const ranked = rankCandidates(parseAddress('锦江区红星路二段88号'), candidates, 10);
    expect(ranked.map((r) => r.candidate.id)).toEqual([12, 11, 10, 13, 1]);
    expect(ranked[0]?.score).toBe(1);
    expect(ranked[0]?.matches.every((m) => m.verdict === 'exact')).toBe(true);
    const sub = ranked[1]?.matches.find((m) => m.part === 'number');
    expect(sub).toEqual({ part: 'number', query: '88号', found: '88-1号', verdict: 'partial' });
    expect(ranked.at(-1)?.matches.find((m) => m.part === 'number')?.verdict).toBe('missing');
  });

  it('ranks more matching parts higher and never returns score-0 candidates', () => {
    const ranked = rankCandidates(parseAddress('青羊区红星路一段5号'), candidates, 10);
    for (let i = 1; i < ranked.length; i++) {
      expect((ranked[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
        (ranked[i] as { score: number }).score,
      );
    }
    expect(ranked.every((r) => r.score > 0 && r.score <= 1)).toBe(true);
  });

  it('a door beats its road at equal score, and ties are stable by id', () => {
    const ranked = rankCandidates(
      parseAddress('红星路'),
      [road(2, '一段'), door(3, '一段', '1号'), road(1, '二段')],
      10,
    );
    expect(ranked.map((r) => `${r.candidate.kind}${r.candidate.id}`)).toEqual(['address3', 'road1', 'road2']);
  });

  it('reads the whole text as a place name when that fits better', () => {
    const place: Candidate = { kind: 'poi', id: 7, name: '宽窄巷子', aliases: [] };
    const [best] = rankCandidates(parseAddress('宽窄巷子'), [place], 5);
    expect(best?.score).toBe(1);
    expect(best?.matches).toEqual([{ part: 'poi', query: '宽窄巷子', found: '宽窄巷子', verdict: 'exact' }]);
  });

  it('matches place aliases and partial names', () => {
    const ifs: Candidate = { kind: 'poi', id: 1, name: '成都国际金融中心', aliases: ['IFS'], road: '春熙路' };
    expect(scoreCandidate(parseAddress('春熙路 ifs').parts, ifs).score).toBe(1);
    expect(scoreCandidate({ poi: '金融中心' }, ifs).matches[0]?.verdict).toBe('partial');
  });

  it('explains in Chinese and English', () => {
    const s = scoreCandidate(parseAddress('红星路二段88号').parts, door(1, '二段', '88-1号'));
    expect(explainMatches(s.matches)).toEqual({
      zh: '道路 红星路 一致；路段 二段 一致；门牌 88号（88-1号） 部分一致',
      en: 'road 红星路 matches; segment 二段 matches; door number 88号 (88-1号) partly matches',
    });
  });
});
