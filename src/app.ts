/**
 * The CityLoop application: the platform's HTTP app with every module's routes, in one list,
 * and the modules' parts of the health check.
 * A new module's routes are added here (and its tables in ./database.ts).
 */
import './database.js';
import { analyticsRoutes } from './modules/analytics/routes.js';
import { antifraudRoutes } from './modules/antifraud/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { holidayHealthDetail } from './modules/calendar/holidays.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { cameraRoutes } from './modules/camera/routes.js';
import { caseRoutes } from './modules/cases/routes.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { collabRoutes } from './modules/collab/routes.js';
import { collectionRoutes } from './modules/collection/routes.js';
import { componentRoutes } from './modules/component/routes.js';
import { coverRoutes } from './modules/covers/routes.js';
import { demoRoutes } from './modules/demo/routes.js';
import { dispatchRoutes } from './modules/dispatch/routes.js';
import { evaluationRoutes } from './modules/evaluation/routes.js';
import { forecastRoutes } from './modules/forecast/routes.js';
import { geocodeRoutes } from './modules/geocode/routes.js';
import { gridRoutes } from './modules/grid/routes.js';
import { hotlineRoutes } from './modules/hotline/routes.js';
import { iotRoutes } from './modules/iot/routes.js';
import { liveRoutes } from './modules/live/routes.js';
import { mapRoutes } from './modules/map/routes.js';
import { mediaRoutes } from './modules/media/routes.js';
import { open311AdminRoutes } from './modules/open311/admin-routes.js';
import { open311Routes } from './modules/open311/routes.js';
import { openDataRoutes } from './modules/opendata/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { outboundRoutes } from './modules/outbound/routes.js';
import { patrolRoutes } from './modules/patrol/routes.js';
import { publicRoutes } from './modules/public/routes.js';
import { reportRoutes } from './modules/report/routes.js';
import { buildPlatformApp } from './platform/http/app.js';
import type { ApiApp, Deps, ModuleRoutes } from './platform/http/types.js';

export const MODULE_ROUTES: readonly ModuleRoutes[] = [
  authRoutes,
  orgRoutes,
  gridRoutes,
  auditRoutes,
  catalogRoutes,
  componentRoutes,
  geocodeRoutes,
  mapRoutes,
  mediaRoutes,
  calendarRoutes,
  caseRoutes,
  dispatchRoutes,
  collabRoutes,
  evaluationRoutes,
  collectionRoutes,
  patrolRoutes,
  liveRoutes,
  publicRoutes,
  demoRoutes,
  hotlineRoutes,
  cameraRoutes,
  analyticsRoutes,
  openDataRoutes,
  open311AdminRoutes,
  outboundRoutes,
  iotRoutes,
  reportRoutes,
  forecastRoutes,
  coverRoutes,
  antifraudRoutes,
];

export async function buildApp(deps: Deps, options: { logger?: boolean } = {}): Promise<ApiApp> {
  const app = await buildPlatformApp(
    deps,
    { routes: MODULE_ROUTES, healthDetail: holidayHealthDetail },
    options,
  );
  // Standards endpoints live outside /api/v1, with their own auth and error format.
  await app.register(open311Routes(deps), { prefix: '/open311/v2' });
  return app;
}
