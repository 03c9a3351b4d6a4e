import { CommentOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const ModerationPage = lazyPage(() => import('./ModerationPage'), 'ModerationPage');

/** Pages of public participation (公众参与) in the console. */
export const routes: AppRoute[] = [
  {
    path: 'public/moderation',
    element: <ModerationPage />,
    // Those holding public.moderate (and the administrator, who holds every permission).
    roles: ['intake', 'shift_leader', 'admin'],
    menu: { label: 'public:menu.moderation', icon: <CommentOutlined />, group: 'workspace', order: 15 },
  },
];
