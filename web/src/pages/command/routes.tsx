import { DashboardOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const CommandPage = lazyPage(() => import('./CommandPage'), 'CommandPage');

/** Pages of the command area. */
export const routes: AppRoute[] = [
  {
    path: 'command',
    element: <CommandPage />,
    roles: ['leader', 'shift_leader', 'dispatcher', 'coordinator', 'admin'],
    menu: { label: 'command:menu.command', icon: <DashboardOutlined />, group: 'command', order: 10 },
    homeFor: ['leader'],
  },
];
