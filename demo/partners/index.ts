/**
 * The simulated partners `npm run demo` starts, in order. To add one (the river-gauge MQTT
 * publisher, a WIS2 centre …), write a `DemoPartner` (`../partner.ts`) in this folder and
 * append it here; the demo starts it after the hub, registers the feeds it returns and stops
 * it on Ctrl-C.
 */
import type { DemoPartner } from '../partner.ts';
import { nationalFeeds } from './national-feeds.ts';

/** Every simulated partner of the demo. */
export const demoPartners: readonly DemoPartner[] = [nationalFeeds()];
