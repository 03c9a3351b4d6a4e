import { routes as admin } from '../pages/admin/routes';
import { routes as antifraud } from '../pages/antifraud/routes';
import { routes as cases } from '../pages/cases/routes';
import { routes as channels } from '../pages/channels/routes';
import { routes as command } from '../pages/command/routes';
import { routes as covers } from '../pages/covers/routes';
import { routes as evaluation } from '../pages/evaluation/routes';
import { routes as publicArea } from '../pages/public/routes';
import { routes as report } from '../pages/report/routes';
import { routes as work } from '../pages/work/routes';
import type { AppRoute } from './route-types';

/** Every page of the console; each area owns its list. */
export const ALL_ROUTES: AppRoute[] = [
  ...work,
  ...cases,
  ...publicArea,
  ...command,
  ...evaluation,
  ...report,
  ...admin,
  ...channels,
  ...covers,
  ...antifraud,
];
