import type { ReactNode } from 'react';
import type { Role } from '../auth/session';

/** Side-menu groups, in display order. */
export const MENU_GROUPS = ['workspace', 'cases', 'command', 'evaluation', 'admin'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

/**
 * One page of the console. Each area (pages/<area>/routes.tsx) exports its list; the app
 * builds the router and the role's side menu from all of them.
 */
export interface AppRoute {
  /** Path without the leading slash, e.g. 'cases/:id'. */
  path: string;
  element: ReactNode;
  /** Who may open it; omitted = every logged-in user. */
  roles?: readonly Role[];
  /** Shown in the side menu when set. `label` is an i18n key with namespace, e.g. 'cases:menu.list'. */
  menu?: { label: string; icon?: ReactNode; group: MenuGroup; order?: number };
  /** The page a role lands on after login (the role's workspace). */
  homeFor?: readonly Role[];
}
