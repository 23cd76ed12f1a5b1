/** Reading the quake fixtures of test/fixtures/feeds/quakes. */
import { readFileSync } from 'node:fs';

/** The bytes of a quake fixture, e.g. `usgs/all_hour_2024.geojson`. */
export function quakeFixture(name: string): Uint8Array {
  return readFileSync(new URL(`../../fixtures/feeds/quakes/${name}`, import.meta.url));
}

/** The text of a quake fixture. */
export function quakeFixtureText(name: string): string {
  return new TextDecoder().decode(quakeFixture(name));
}
