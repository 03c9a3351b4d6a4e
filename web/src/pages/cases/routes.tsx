import type { AppRoute } from '../../app/route-types';

/** Pages of the cases area. */
export const routes: AppRoute[] = [];
