export { GridLocator, type LocatorGrid } from './grid-locator.js';
export {
  type FlatRing,
  flatRing,
  type Placement,
  pointInPolygon,
  pointInRing,
  polygonCovers,
} from './point-in-polygon.js';
export { polygonsFromWkb } from './wkb.js';
