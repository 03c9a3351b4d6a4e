import { type ComponentType, lazy } from 'react';

/**
 * A page loaded when first opened: each area's code (and heavy libraries such as MapLibre
 * and ECharts) stays out of the first download, which every operator's login pays for.
 */
export function lazyPage<M extends Record<string, unknown>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): ComponentType {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
