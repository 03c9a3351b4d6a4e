import type { ApiApp, Deps } from '../../platform/http/types.js';

/** HTTP routes of the map module (registered under /api/v1 in platform/http/app.ts). */
export async function mapRoutes(_app: ApiApp, _deps: Deps): Promise<void> {}
