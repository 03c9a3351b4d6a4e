import type { AppRoute } from '../../app/route-types';

/** Pages of the command area. */
export const routes: AppRoute[] = [];
