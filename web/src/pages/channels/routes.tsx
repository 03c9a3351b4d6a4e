import { CameraOutlined, PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const HotlineOrdersPage = lazyPage(() => import('./HotlineOrdersPage'), 'HotlineOrdersPage');
const CameraReviewPage = lazyPage(() => import('./CameraReviewPage'), 'CameraReviewPage');
const CameraSetupPage = lazyPage(() => import('./CameraSetupPage'), 'CameraSetupPage');

/** Pages of the channels (12345, camera AI). */
export const routes: AppRoute[] = [
  {
    path: 'channels/hotline',
    element: <HotlineOrdersPage />,
    roles: ['intake', 'shift_leader', 'dispatcher', 'leader', 'admin'],
    menu: { label: 'channels:menu.hotline', icon: <PhoneOutlined />, group: 'cases', order: 60 },
  },
  {
    path: 'channels/camera-review',
    element: <CameraReviewPage />,
    roles: ['intake', 'leader'],
    menu: { label: 'channels:menu.review', icon: <VideoCameraOutlined />, group: 'cases', order: 61 },
  },
  {
    path: 'admin/cameras',
    element: <CameraSetupPage />,
    roles: ['admin'],
    menu: { label: 'channels:menu.cameras', icon: <CameraOutlined />, group: 'admin', order: 9.5 },
  },
];
