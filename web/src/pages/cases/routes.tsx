import {
  AuditOutlined,
  FileAddOutlined,
  FileSearchOutlined,
  InboxOutlined,
  SendOutlined,
  ToolOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { lazyPage } from '../../app/lazy';
import type { AppRoute } from '../../app/route-types';
import type { Role } from '../../auth/session';

const CaseDetailPage = lazyPage(() => import('./CaseDetail'), 'CaseDetailPage');
const CaseSearchPage = lazyPage(() => import('./CaseSearch'), 'CaseSearchPage');
const IntakeNewPage = lazyPage(() => import('./IntakeNew'), 'IntakeNewPage');
const DepartmentWorkspace = lazyPage(() => import('./Workspaces'), 'DepartmentWorkspace');
const DispatchWorkspace = lazyPage(() => import('./Workspaces'), 'DispatchWorkspace');
const IntakeWorkspace = lazyPage(() => import('./Workspaces'), 'IntakeWorkspace');
const ShiftWorkspace = lazyPage(() => import('./Workspaces'), 'ShiftWorkspace');
const SupervisorWorkspace = lazyPage(() => import('./Workspaces'), 'SupervisorWorkspace');

/** Everyone with case.read (every internal role; citizens use the public portal). */
const CASE_READERS: readonly Role[] = [
  'admin',
  'leader',
  'coordinator',
  'shift_leader',
  'dispatcher',
  'intake',
  'supervisor',
  'department',
  'handler',
];

/** Pages of the cases area. */
export const routes: AppRoute[] = [
  {
    path: 'intake',
    element: <IntakeWorkspace />,
    roles: ['intake', 'shift_leader', 'admin'],
    homeFor: ['intake'],
    menu: { label: 'cases:menu.intake', icon: <InboxOutlined />, group: 'workspace', order: 10 },
  },
  {
    path: 'intake/new',
    element: <IntakeNewPage />,
    roles: ['intake'],
    menu: { label: 'cases:menu.intakeNew', icon: <FileAddOutlined />, group: 'workspace', order: 11 },
  },
  {
    path: 'shift',
    element: <ShiftWorkspace />,
    roles: ['shift_leader'],
    homeFor: ['shift_leader'],
    menu: { label: 'cases:menu.shift', icon: <AuditOutlined />, group: 'workspace', order: 20 },
  },
  {
    path: 'dispatch',
    element: <DispatchWorkspace />,
    roles: ['dispatcher'],
    homeFor: ['dispatcher'],
    menu: { label: 'cases:menu.dispatch', icon: <SendOutlined />, group: 'workspace', order: 30 },
  },
  {
    path: 'department',
    element: <DepartmentWorkspace />,
    roles: ['department', 'handler'],
    homeFor: ['department', 'handler'],
    menu: { label: 'cases:menu.department', icon: <ToolOutlined />, group: 'workspace', order: 40 },
  },
  {
    path: 'supervisor',
    element: <SupervisorWorkspace />,
    roles: ['supervisor'],
    homeFor: ['supervisor'],
    menu: { label: 'cases:menu.supervisor', icon: <UserSwitchOutlined />, group: 'workspace', order: 50 },
  },
  {
    path: 'cases',
    element: <CaseSearchPage />,
    roles: CASE_READERS,
    menu: { label: 'cases:menu.search', icon: <FileSearchOutlined />, group: 'cases', order: 10 },
  },
  { path: 'cases/:id', element: <CaseDetailPage />, roles: CASE_READERS },
];
