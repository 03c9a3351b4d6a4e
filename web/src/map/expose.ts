import type { Map as MlMap } from 'maplibre-gl';

/**
 * The map object on its container element (`el.maplibre`), for the browser console and the
 * browser tests, which check what was drawn (queryRenderedFeatures) without a hook of their own.
 */
export function exposeMap(el: HTMLElement, map: MlMap) {
  (el as HTMLElement & { maplibre?: MlMap }).maplibre = map;
}
