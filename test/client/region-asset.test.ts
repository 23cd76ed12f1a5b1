import { booleanPointInPolygon } from '@turf/turf';
import { expect } from 'chai';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import { buildRegionAsset } from '../../client/tools/region-asset.ts';
import { loadRegion } from '../../server/region/region.ts';

describe('client/tools/region-asset: the boundaries the console draws', () => {
  const asset = buildRegionAsset(loadRegion());
  const shape = (code: string): Polygon | MultiPolygon => {
    const object = asset.partnerShapes.objects.countries.geometries.find((g) => g.id === code);
    if (object === undefined) throw new Error(`no shape for ${code}`);
    const converted = feature(asset.partnerShapes, object);
    if (converted.type !== 'Feature') throw new Error(`${code} is not one feature`);
    return converted.geometry as Polygon | MultiPolygon;
  };

  it('draws Baikonur as Kazakhstan, not as a hole in it (as routing reads it)', () => {
    expect(booleanPointInPolygon([63.342, 45.92], shape('KZ'))).to.equal(true);
  });

  it('keeps the Fergana-valley enclaves as holes of Kyrgyzstan and shapes of their own', () => {
    // Sokh (Uzbekistan) inside Kyrgyzstan.
    expect(booleanPointInPolygon([71.1, 39.98], shape('KG'))).to.equal(false);
    expect(booleanPointInPolygon([71.1, 39.98], shape('UZ'))).to.equal(true);
  });
});
