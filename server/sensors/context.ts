/**
 * What the sensor services need: the hub store (hub alerts), the sensor store, the region (its
 * threshold policy and templates), the ingest path hub CAP goes through, the clock and a log.
 */
import type { IngestContext, Principal } from '../ingest/ingest-alert.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import type { HubStore } from '../store/ports.ts';
import type { SensorStore } from './sensor-store.ts';

/** The sensor services' dependencies. */
export interface SensorDeps {
  readonly store: HubStore;
  readonly sensors: SensorStore;
  readonly region: Region;
  /** The one ingest path: hub CAP from drafts and CAP from WIS2 go through it. */
  readonly ingest: IngestContext;
  readonly now: () => number;
  readonly log?: Logger;
}

/**
 * The threshold engine as a principal: the hub's organisation posting its own CAP, for its
 * sender only (as the transboundary engine does in `server/ingest/ingest-alert.ts`).
 */
export function sensorHubPrincipal(region: Region): Principal {
  return {
    kind: 'key',
    keyId: null,
    userId: null,
    name: 'sensor thresholds',
    role: null,
    orgId: region.hubId,
    scopes: ['cap:submit'],
    senders: [region.hubSender],
    stations: null,
  };
}
