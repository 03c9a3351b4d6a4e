import { AlertOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const CoversPage = lazyPage(() => import('./CoversPage'), 'CoversPage');

/** Pages of the 井盖专项 (manhole-cover special supervision). */
export const routes: AppRoute[] = [
  {
    path: 'covers',
    element: <CoversPage />,
    roles: ['admin', 'leader', 'coordinator', 'shift_leader', 'dispatcher', 'intake'],
    menu: { label: 'covers:menu.dashboard', icon: <AlertOutlined />, group: 'command', order: 40 },
  },
];
