/**
 * The simulated partners `npm run demo` starts, in order. To add one (a WIS2 centre …), write a
 * `DemoPartner` (`../partner.ts`) in this folder and append it here; the demo lets it prepare
 * the hub's environment, starts it after the hub, registers the feeds it returns and stops it
 * on Ctrl-C.
 */
import type { DemoOptions, DemoPartner } from '../partner.ts';
import { nationalFeeds } from './national-feeds.ts';
import { riverGauge } from './river-gauge.ts';

/** Every simulated partner of the demo, running `speed` times faster than real time. */
export function demoPartners(options: DemoOptions): readonly DemoPartner[] {
  return [
    nationalFeeds({ msPerSecond: 1000 / options.speed }),
    riverGauge({ speed: options.speed }),
  ];
}
