import {
  BarChartOutlined,
  FireOutlined,
  LineChartOutlined,
  NotificationOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';
import { READERS } from './shared';

const ResultsPage = lazyPage(() => import('./ResultsPage'), 'ResultsPage');
const PublicationsPage = lazyPage(() => import('./PublicationsPage'), 'PublicationsPage');
const StatsPage = lazyPage(() => import('./StatsPage'), 'StatsPage');
const HotspotsPage = lazyPage(() => import('./HotspotsPage'), 'HotspotsPage');
const ForecastPage = lazyPage(() => import('./ForecastPage'), 'ForecastPage');

/** Pages of the evaluation area (readers: permission evaluation.read). */
export const routes: AppRoute[] = [
  {
    path: 'evaluation',
    element: <ResultsPage />,
    roles: READERS,
    menu: { label: 'evaluation:menu.results', icon: <TrophyOutlined />, group: 'evaluation', order: 10 },
  },
  {
    path: 'evaluation/stats',
    element: <StatsPage />,
    roles: READERS,
    menu: { label: 'evaluation:menu.stats', icon: <BarChartOutlined />, group: 'evaluation', order: 20 },
  },
  {
    path: 'evaluation/hotspots',
    element: <HotspotsPage />,
    roles: READERS,
    menu: { label: 'evaluation:menu.hotspots', icon: <FireOutlined />, group: 'evaluation', order: 25 },
  },
  {
    path: 'evaluation/forecasts',
    element: <ForecastPage />,
    roles: READERS,
    menu: { label: 'evaluation:menu.forecasts', icon: <LineChartOutlined />, group: 'evaluation', order: 27 },
  },
  {
    path: 'evaluation/publications',
    element: <PublicationsPage />,
    roles: READERS,
    menu: {
      label: 'evaluation:menu.publications',
      icon: <NotificationOutlined />,
      group: 'evaluation',
      order: 30,
    },
  },
];
