import type { ReactNode } from 'react';
import './admin.css';
import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BorderOuterOutlined,
  BranchesOutlined,
  CalendarOutlined,
  ContactsOutlined,
  EnvironmentOutlined,
  ProfileOutlined,
  SwapOutlined,
  TeamOutlined,
  ToolOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';

const AuditPage = lazyPage(() => import('./AuditPage'), 'AuditPage');
const ChannelsPage = lazyPage(() => import('./ChannelsPage'), 'ChannelsPage');
const CalendarPage = lazyPage(() => import('./CalendarPage'), 'CalendarPage');
const CollectionPage = lazyPage(() => import('./CollectionPage'), 'CollectionPage');
const ComponentsPage = lazyPage(() => import('./ComponentsPage'), 'ComponentsPage');
const DevicesPage = lazyPage(() => import('./DevicesPage'), 'DevicesPage');
const GazetteerPage = lazyPage(() => import('./GazetteerPage'), 'GazetteerPage');
const GridsPage = lazyPage(() => import('./GridsPage'), 'GridsPage');
const MappingPage = lazyPage(() => import('./MappingPage'), 'MappingPage');
const OrgPage = lazyPage(() => import('./OrgPage'), 'OrgPage');
const ResponsibilityPage = lazyPage(() => import('./ResponsibilityPage'), 'ResponsibilityPage');
const StandardsPage = lazyPage(() => import('./StandardsPage'), 'StandardsPage');
const UsersPage = lazyPage(() => import('./UsersPage'), 'UsersPage');

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
    path: 'admin/catalog-mapping',
    element: <MappingPage />,
    roles: admin,
    menu: menu('mapping', <SwapOutlined />, 3.5),
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
  {
    path: 'admin/collection',
    element: <CollectionPage />,
    roles: admin,
    menu: menu('collection', <ContactsOutlined />, 9),
  },
  { path: 'admin/audit', element: <AuditPage />, roles: admin, menu: menu('audit', <AuditOutlined />, 10) },
  {
    path: 'admin/channels',
    element: <ChannelsPage />,
    roles: admin,
    menu: menu('channels', <ApiOutlined />, 9.5),
  },
  {
    path: 'admin/devices',
    element: <DevicesPage />,
    roles: admin,
    menu: menu('devices', <WifiOutlined />, 7.5),
  },
];
