import type { AppRoute } from '../../app/route-types';

/** Pages of the evaluation area. */
export const routes: AppRoute[] = [];
