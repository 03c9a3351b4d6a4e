/**
 * Problems a grid import can report, each with a stable code and a zh + en message naming
 * the grid. Locations are filled in later (they need the CRS transform).
 */
import type { LocalizedMessage } from '../codes.js';

export type GridProblemCode =
  | 'GRID_FEATURE_INVALID'
  | 'GRID_CODE_MISSING'
  | 'GRID_CODE_FORMAT'
  | 'GRID_CODE_COMMUNITY_MISMATCH'
  | 'GRID_CODE_SEQUENCE'
  | 'GRID_CODE_DUPLICATE'
  | 'GRID_CODE_RETIRED'
  | 'GRID_AREA_CLASS'
  | 'GRID_COMMUNITY_UNKNOWN'
  | 'GRID_GEOMETRY_TYPE'
  | 'GRID_GEOMETRY_INVALID'
  | 'GRID_OUTSIDE_COMMUNITY'
  | 'GRID_OUTSIDE_PARENT'
  | 'GRID_OVERLAP'
  | 'GRID_GAP';

export interface GridProblem extends LocalizedMessage {
  code: GridProblemCode;
  gridCode: string | null;
  communityCode: string | null;
  /** Where the problem is, in WGS84 (null when the feature has no usable position). */
  lng: number | null;
  lat: number | null;
  /** 0-based index of the feature in the file, when the problem belongs to one. */
  feature: number | null;
  details?: Record<string, unknown>;
}

type Draft = Omit<GridProblem, 'lng' | 'lat'>;

function label(
  gridCode: string | null,
  feature: number | null,
  communityCode: string | null,
): LocalizedMessage {
  if (gridCode) return { zh: `单元网格 ${gridCode}`, en: `Grid ${gridCode}` };
  if (feature !== null) return { zh: `第 ${feature + 1} 个要素`, en: `Feature #${feature + 1}` };
  return { zh: `社区 ${communityCode ?? ''}`, en: `Community ${communityCode ?? ''}` };
}

/** Builds a problem whose message starts with the grid (or feature) it concerns. */
export function gridProblem(
  code: GridProblemCode,
  where: { gridCode: string | null; communityCode: string | null; feature: number | null },
  text: LocalizedMessage,
  details?: Record<string, unknown>,
): Draft {
  const who = label(where.gridCode, where.feature, where.communityCode);
  return {
    code,
    ...where,
    zh: `${who.zh}：${text.zh}`,
    en: `${who.en}: ${text.en}`,
    ...(details ? { details } : {}),
  };
}

export type GridProblemDraft = Draft;
