import '../../i18n/report';
import { FileTextOutlined } from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';
import { READERS } from '../evaluation/shared';

const ReportsPage = lazyPage(() => import('./ReportsPage'), 'ReportsPage');

/** 月度分析报告 (readers of the evaluation). */
export const routes: AppRoute[] = [
  {
    path: 'evaluation/reports',
    element: <ReportsPage />,
    roles: READERS,
    menu: { label: 'report:menu.reports', icon: <FileTextOutlined />, group: 'evaluation', order: 35 },
  },
];
