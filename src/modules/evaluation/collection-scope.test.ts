/** Which collection team members a reader's evaluation counts: by grids, else by division. */
import { describe, expect, it } from 'vitest';
import { collectionTeamsFor } from './collection.js';
import type { Reference } from './repo.js';

const ref = {
  supervisorGrids: { '1': ['51010400100101'], '2': ['51010500100101'] },
  userDivisions: new Map<string, string | null>([
    ['1', '510104001001'],
    ['2', '510105001001'],
    ['3', '510104002001'], // no grids yet
  ]),
  collectionTeams: {
    '1': { team: 'T1', company: 'C' },
    '2': { team: 'T2', company: 'C' },
    '3': { team: 'T1', company: 'C' },
  },
} as unknown as Reference;

describe('collectionTeamsFor', () => {
  it('counts everyone for an unscoped reader', () => {
    expect(Object.keys(collectionTeamsFor(ref, '')).sort()).toEqual(['1', '2', '3']);
  });

  it('counts a member without grids for the city and for his own district only', () => {
    expect(Object.keys(collectionTeamsFor(ref, '5101')).sort()).toEqual(['1', '2', '3']);
    expect(Object.keys(collectionTeamsFor(ref, '510104')).sort()).toEqual(['1', '3']);
    expect(Object.keys(collectionTeamsFor(ref, '510105')).sort()).toEqual(['2']);
  });

  it('places a member with grids by his grids, not by his division', () => {
    const moved = { ...ref, supervisorGrids: { ...ref.supervisorGrids, '1': ['51010500100102'] } };
    expect(Object.keys(collectionTeamsFor(moved, '510104')).sort()).toEqual(['3']);
  });
});
