/** A hub on a temporary data directory, for HTTP tests in process (supertest, no port). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCap } from '../../protocols/cap/build.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { createLogger } from '../../server/log.ts';
import { validAlert } from './cap.ts';

/** A test hub and a clock the test moves. */
export interface TestHub {
  readonly hub: Hub;
  readonly config: Config;
  readonly dataDir: string;
  /** The hub's clock, in epoch ms. */
  clock: { now: number };
  key(orgId: string, scopes: string[], senders?: string[]): Promise<string>;
  /** Closes the hub (the data stays, for a restart). */
  close(): Promise<void>;
  /** Closes and deletes the data directory. */
  destroy(): Promise<void>;
}

/** Starts a hub; `dataDir` reuses one (a restart). */
export async function startTestHub(
  options: { dataDir?: string; now?: number; env?: Record<string, string> } = {},
): Promise<TestHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ewx-test-'));
  const config = loadConfig({ HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const clock = { now: options.now ?? Date.UTC(2026, 3, 2, 1, 0) };
  const hub = await createHub(config, createLogger(config), { now: () => clock.now });
  return {
    hub,
    config,
    dataDir,
    clock,
    async key(orgId, scopes, senders) {
      return (await createApiKey(hub.store, { orgId, scopes, senders: senders ?? null })).key;
    },
    close: () => hub.close(),
    async destroy() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A valid alert (the test helper's) with a fresh identifier and the given changes, as CAP XML. */
export function capXml(change: (alert: CapAlert) => void = () => undefined): string {
  const alert = validAlert();
  counter++;
  alert.identifier = `${alert.identifier}.${process.pid}.${counter}`;
  change(alert);
  return buildCap(alert);
}

/** CAP dateTime (UTC, "+00:00") of an instant. */
function capDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Moves an alert's times to now (sent, effective, onset) and a day ahead (expires), for hubs
 * that run on the real clock: the fixture's dates are in the past, so it would arrive expired.
 */
export function sentNow(alert: CapAlert, nowMs: number = Date.now()): void {
  alert.sent = capDateTime(nowMs);
  for (const info of alert.info) {
    info.effective = capDateTime(nowMs);
    info.onset = capDateTime(nowMs);
    info.expires = capDateTime(nowMs + 24 * 3_600_000);
  }
}

/**
 * Moves an alert's areas to the south shore of Issyk-Kul (a closed basin), far from every
 * border, so it concerns only the issuer: tests of delivery need no hub alerts in between.
 */
export function inland(alert: CapAlert): void {
  for (const info of alert.info)
    info.area = [
      {
        areaDesc: 'Ton district, Issyk-Kul region',
        polygon: ['42.05,76.85 42.05,77.15 42.20,77.15 42.20,76.85 42.05,76.85'],
        circle: [],
        geocode: [],
      },
    ];
}

/** {@link capXml} with the areas {@link inland}. */
export function inlandXml(change: (alert: CapAlert) => void = () => undefined): string {
  return capXml((alert) => {
    inland(alert);
    change(alert);
  });
}
