import { SafetyCertificateOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const FraudReviewPage = lazyPage(() => import('./FraudReviewPage'), 'FraudReviewPage');

/** Collector anti-fraud (信息采集质量): the review queue of the centre. */
export const routes: AppRoute[] = [
  {
    path: 'evaluation/collection-quality',
    element: <FraudReviewPage />,
    roles: ['shift_leader', 'leader', 'admin'],
    menu: {
      label: 'antifraud:menu.review',
      icon: <SafetyCertificateOutlined />,
      group: 'evaluation',
      order: 80,
    },
  },
];
