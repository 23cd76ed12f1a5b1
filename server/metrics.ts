/** Prometheus metrics of the hub (prom-client): ingests by outcome, ingest latency, active alerts. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HubStore } from './store/ports.ts';

/** The hub's metrics. */
export interface HubMetrics {
  readonly registry: Registry;
  /** Ingests by outcome: created, duplicate, or the error code. */
  readonly ingests: Counter<'outcome'>;
  readonly ingestSeconds: Histogram<'outcome'>;
}

/** Creates a registry of its own (several hubs in one test process must not share one). */
export function createMetrics(store: HubStore): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ewx_' });
  const ingests = new Counter({
    name: 'ewx_ingests_total',
    help: 'CAP documents posted, by outcome (created, duplicate, or the error code)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const ingestSeconds = new Histogram({
    name: 'ewx_ingest_duration_seconds',
    help: 'Time from receiving a CAP body to the durable answer',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'ewx_alerts_active',
    help: 'Alerts in state active',
    registers: [registry],
    async collect() {
      this.set(await store.countActive());
    },
  });
  return { registry, ingests, ingestSeconds };
}
