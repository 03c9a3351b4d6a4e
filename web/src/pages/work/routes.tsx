import { ApartmentOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const DisputesPage = lazyPage(() => import('./DisputesPage'), 'DisputesPage');
const UrgePage = lazyPage(() => import('./UrgePage'), 'UrgePage');

/** Pages of the work area. */
export const routes: AppRoute[] = [
  {
    path: 'disputes',
    element: <DisputesPage />,
    roles: ['coordinator', 'admin'],
    menu: { label: 'work:menu.disputes', icon: <ApartmentOutlined />, group: 'workspace', order: 20 },
    homeFor: ['coordinator'],
  },
  {
    path: 'urge',
    element: <UrgePage />,
    roles: ['leader', 'shift_leader', 'admin'],
    menu: { label: 'work:menu.urge', icon: <ThunderboltOutlined />, group: 'command', order: 50 },
  },
];
