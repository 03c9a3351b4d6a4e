import type { AppRoute } from '../../app/route-types';

/** Pages of the admin area. */
export const routes: AppRoute[] = [];
