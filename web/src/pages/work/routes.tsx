import type { AppRoute } from '../../app/route-types';

/** Pages of the work area. */
export const routes: AppRoute[] = [];
