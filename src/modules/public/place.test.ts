/** GET /public/place: a citizen sees the address of a point in words, without logging in. */
import { beforeAll, describe, expect, it } from 'vitest';
import { testStores } from '../../../test/helpers/stores.js';
import { expectError } from '../cases/testkit.js';
import { type PortalBed, portalTestbed } from './testkit.js';

describe.each(testStores())('public place (%s)', (kind) => {
  const { bed, anon } = portalTestbed(kind, 'cityloop-place-');
  let fx: PortalBed['fx'];
  beforeAll(() => {
    fx = bed.fx;
  });

  it('names district, street, community and the nearest door, like the staff reverse geocoder', async () => {
    const { lng, lat } = fx.supervised;
    const res = await anon('GET', `/api/v1/public/place?lng=${lng}&lat=${lat}`);
    expect(res.statusCode, res.body).toBe(200);
    const place = res.json();
    const staff = (await bed.c.call('intake', 'GET', `/api/v1/geocode/reverse?lng=${lng}&lat=${lat}`)).json();
    expect(place).toEqual({
      district: staff.district.name,
      street: staff.street.name,
      community: staff.community.name,
      formatted: staff.formatted,
    });
    expect(place.district).toBe('锦江区');
    expect(place.formatted).toMatch(/^锦江区.+(号|路|街)附近$/);
    // Nothing staff-only: no grid code, no distances.
    expect(res.body).not.toContain(staff.gridCode);
  });

  it('says a point outside the city is outside it, and refuses bad coordinates', async () => {
    expectError(await anon('GET', '/api/v1/public/place?lng=116.39&lat=39.9'), 422, 'PUBLIC_OUTSIDE_CITY');
    expectError(await anon('GET', '/api/v1/public/place?lng=abc&lat=30.6'), 400, 'VALIDATION_FAILED');
    expectError(await anon('GET', '/api/v1/public/place?lng=104.07'), 400, 'VALIDATION_FAILED');
  });
});
