import { lazyPage } from '../../app/lazy';
import type { Role } from '../../auth/session';

/** 指挥大屏 at /screen, outside the console's layout (App.tsx); the command view's roles. */
export const BigScreen = lazyPage(() => import('./BigScreen'), 'BigScreen');
export const SCREEN_ROLES: readonly Role[] = ['leader', 'shift_leader', 'dispatcher', 'coordinator', 'admin'];
