/** Geocoding domain (pure): coordinate systems, Chinese address parsing, candidate ranking. */

export {
  type AddressParts,
  normaliseAddress,
  normaliseDoorNumber,
  parseAddress,
  parseRoadName,
} from './address.js';
export { CRS_VALUES, type Crs, fromWgs84, type LngLat, outOfChina, positionFor, toWgs84 } from './crs.js';
export { explainMatches, rankCandidates, scoreCandidate } from './rank.js';
