import type { ReactNode } from 'react';
import './admin.css';
import {
  ApartmentOutlined,
  AuditOutlined,
  BorderOuterOutlined,
  BranchesOutlined,
  CalendarOutlined,
  EnvironmentOutlined,
  ProfileOutlined,
  TeamOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import type { AppRoute } from '../../app/route-types';
import { AuditPage } from './AuditPage';
import { CalendarPage } from './CalendarPage';
import { ComponentsPage } from './ComponentsPage';
import { GazetteerPage } from './GazetteerPage';
import { GridsPage } from './GridsPage';
import { OrgPage } from './OrgPage';
import { ResponsibilityPage } from './ResponsibilityPage';
import { StandardsPage } from './StandardsPage';
import { UsersPage } from './UsersPage';

const admin = ['admin'] as const;
const menu = (key: string, icon: ReactNode, order: number) => ({
  label: `admin:menu.${key}`,
  icon,
  group: 'admin' as const,
  order,
});

/** Pages of the admin area. */
export const routes: AppRoute[] = [
  {
    path: 'admin/users',
    element: <UsersPage />,
    roles: admin,
    homeFor: admin,
    menu: menu('users', <TeamOutlined />, 1),
  },
  { path: 'admin/org', element: <OrgPage />, roles: admin, menu: menu('org', <ApartmentOutlined />, 2) },
  {
    path: 'admin/standards',
    element: <StandardsPage />,
    roles: admin,
    menu: menu('standards', <ProfileOutlined />, 3),
  },
  {
    path: 'admin/responsibility',
    element: <ResponsibilityPage />,
    roles: admin,
    menu: menu('responsibility', <BranchesOutlined />, 4),
  },
  {
    path: 'admin/calendars',
    element: <CalendarPage />,
    roles: admin,
    menu: menu('calendars', <CalendarOutlined />, 5),
  },
  {
    path: 'admin/grids',
    element: <GridsPage />,
    roles: admin,
    menu: menu('grids', <BorderOuterOutlined />, 6),
  },
  {
    path: 'admin/components',
    element: <ComponentsPage />,
    roles: admin,
    menu: menu('components', <ToolOutlined />, 7),
  },
  {
    path: 'admin/gazetteer',
    element: <GazetteerPage />,
    roles: admin,
    menu: menu('gazetteer', <EnvironmentOutlined />, 8),
  },
  { path: 'admin/audit', element: <AuditPage />, roles: admin, menu: menu('audit', <AuditOutlined />, 9) },
];
