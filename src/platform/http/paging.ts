/**
 * The page every offset-paged list answers beside its items: how many match in all, the page
 * asked for, and where the next page starts (null on the last), so no list silently stops.
 */
export interface PageInfo {
  total: number;
  limit: number;
  offset: number;
  nextOffset: number | null;
}

export function pageInfo(total: number, limit: number, offset: number): PageInfo {
  return { total, limit, offset, nextOffset: offset + limit < total ? offset + limit : null };
}
