import { describe, expect, it } from 'vitest';
import { PRJ } from '../../../test/fixtures/grids/shapefile-writer.js';
import { crsInfo, detectCrsFromWkt, guessCrs, parseCrsName, validExtent } from './crs.js';

// As PostGIS's spatial_ref_sys (EPSG WKT 1) spells them, shortened where the middle does not matter.
const EPSG_4547 =
  'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","4547"]]';
const WKT2_4490 =
  'GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101]],CS[ellipsoidal,2],AXIS["latitude",north],AXIS["longitude",east],ID["EPSG",4490]]';

describe('CRS detection', () => {
  it('reads the outer authority code of EPSG WKT 1 and WKT 2', () => {
    expect(detectCrsFromWkt(EPSG_4547)).toBe(4547);
    expect(detectCrsFromWkt(WKT2_4490)).toBe(4490);
  });

  it('reads ESRI .prj names and Gauss-Krüger parameters', () => {
    expect(detectCrsFromWkt(PRJ.wgs84)).toBe(4326);
    expect(detectCrsFromWkt(PRJ.cgcs2000GkCm105)).toBe(4544);
    expect(
      detectCrsFromWkt(PRJ.cgcs2000GkCm105.replace('CGCS2000_3_Degree_GK_CM_105E', 'my_projection')),
    ).toBe(4544);
    const zone35 = PRJ.cgcs2000GkCm105
      .replace('CGCS2000_3_Degree_GK_CM_105E', 'CGCS2000_3_Degree_GK_Zone_35')
      .replace('500000.0', '35500000.0');
    expect(detectCrsFromWkt(zone35)).toBe(4523);
    expect(detectCrsFromWkt(zone35.replace('CGCS2000_3_Degree_GK_Zone_35', 'custom'))).toBe(4523);
    expect(
      detectCrsFromWkt(
        'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      ),
    ).toBe(4490);
    expect(
      detectCrsFromWkt(
        'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Mercator_Auxiliary_Sphere"]]',
      ),
    ).toBe(3857);
  });

  it('knows nothing of other datums, UTM, non-3° bands or an empty file', () => {
    expect(detectCrsFromWkt(PRJ.xian1980Gk)).toBeNull();
    expect(
      detectCrsFromWkt(
        'PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996]]',
      ),
    ).toBeNull();
    expect(
      detectCrsFromWkt(
        PRJ.cgcs2000GkCm105
          .replace('CGCS2000_3_Degree_GK_CM_105E', 'x')
          .replace('Central_Meridian",105.0', 'Central_Meridian",104.0'),
      ),
    ).toBeNull();
    expect(detectCrsFromWkt('  ')).toBeNull();
  });

  it('parses declared names', () => {
    expect(parseCrsName('EPSG:4547')).toBe(4547);
    expect(parseCrsName('epsg:4490')).toBe(4490);
    expect(parseCrsName('3857')).toBe(3857);
    expect(parseCrsName('urn:ogc:def:crs:EPSG::4544')).toBe(4544);
    expect(parseCrsName('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe(4326);
    expect(parseCrsName('WGS84')).toBeNull();
  });

  it('supports 4326, 4490, 3857 and the CGCS2000 3° Gauss-Krüger family only', () => {
    expect([4326, 4490, 3857, 4513, 4533, 4534, 4547, 4548, 4549, 4554].map((s) => crsInfo(s)?.srid)).toEqual(
      [4326, 4490, 3857, 4513, 4533, 4534, 4547, 4548, 4549, 4554],
    );
    expect(crsInfo(4547)?.name).toBe('CGCS2000 / 3-degree Gauss-Kruger CM 114E');
    expect(crsInfo(4523)?.name).toBe('CGCS2000 / 3-degree Gauss-Kruger zone 35');
    expect([4512, 4555, 2383, 32648].map(crsInfo)).toEqual([null, null, null, null]);
  });

  it('bounds each system and guesses what out-of-range numbers are', () => {
    expect(validExtent(4326)).toEqual({ minX: -180, minY: -90, maxX: 180, maxY: 90 });
    expect(validExtent(4523)).toEqual({ minX: 35_100_000, minY: 0, maxX: 35_900_000, maxY: 10_000_000 });
    expect(guessCrs({ minX: 35_400_000, maxX: 35_420_000, minY: 3_390_000, maxY: 3_400_000 })).toBe(
      'EPSG:4523',
    );
    expect(guessCrs({ minX: 400_000, maxX: 420_000, minY: 3_390_000, maxY: 3_400_000 })).toContain(
      'EPSG:4534–4554',
    );
    expect(guessCrs({ minX: 11_580_000, maxX: 11_590_000, minY: 3_580_000, maxY: 3_590_000 })).toBe(
      'EPSG:3857',
    );
  });
});
