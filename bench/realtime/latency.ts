/**
 * Ingest-to-console latency of the hub next to a bare socket.io broadcast, for one number of
 * connected consoles (both groups of the swarm already open).
 *
 * One alert at a time, alternating hub and bare in ABBA order (hub first on even alerts, bare
 * first on odd ones), so that outside load lands on both alike. For each alert the driver takes
 * its clock, sends (hub: `POST /api/v1/alerts` with a new CAP alert; bare: `POST /emit` with
 * the hub's event payload carrying the same identifier), waits for the answer and for the swarm
 * to report that every console of that group received it, then pauses `gapMs`: latency, not
 * queueing behind the previous alert. The latency of one delivery is the console's receive
 * time (swarm clock, corrected by the measured offset) minus the driver's send time.
 */
import type { Agent } from 'node:http';
import { summariseLatencies, type LatencySummary } from '../lib/http-load.ts';
import { round } from '../lib/measure.ts';
import { benchAlertXml, postOnce } from './bench-hub.ts';
import type { Swarm } from './swarm-control.ts';
import type { SwarmGroup } from './swarm-protocol.ts';

/** How one level is run. */
export interface LevelOptions {
  /** Consoles connected in each group (the number every alert must reach). */
  readonly consoles: number;
  /** Measured alerts per server. */
  readonly alerts: number;
  /** Untimed alerts per server first. */
  readonly warmup: number;
  /** Pause after an alert reached every console, before the next one. */
  readonly gapMs: number;
  /** Give up waiting for the last console of one alert after this long. */
  readonly completeTimeoutMs: number;
}

/** Where to send, and how. */
export interface LevelTargets {
  readonly swarm: Swarm;
  readonly agent: Agent;
  readonly hub: { readonly url: string; readonly key: string };
  readonly bareUrl: string;
  /** An `alert` payload as the hub sent it; the bare server broadcasts copies of it. */
  readonly template: { readonly alert: Record<string, unknown> } & Record<string, unknown>;
  /** Swarm clock minus driver clock, ms. */
  readonly clockOffsetMs: number;
  /** Unique part of this level's identifiers. */
  readonly tag: string;
  /** Called with the `seq` of every alert the hub stored. */
  readonly onSeq: (seq: number) => void;
}

/** The latency of one server at one level. */
export interface SideResult {
  /** Every delivery (one console, one alert): receive − send. */
  readonly delivery: LatencySummary;
  /** Per alert, until the last console had it. */
  readonly lastConsole: LatencySummary;
  /**
   * Per alert, until the HTTP answer (hub: after the durable commit and the emit to the
   * consoles' sockets; bare: after the emit).
   */
  readonly answer: LatencySummary;
  /** Deliveries measured, and those that never came (console count × alerts − measured). */
  readonly deliveries: number;
  readonly missing: number;
  /** Alerts whose last console did not receive them within the timeout. */
  readonly timeouts: number;
  /** Sends not answered 201 (hub) or 204 (bare). */
  readonly sendErrors: number;
  /** Consoles that lost their connection during the level. */
  readonly disconnects: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface SideState {
  readonly starts: Map<string, number>;
  readonly answers: number[];
  timeouts: number;
  sendErrors: number;
}

async function sendOne(
  side: SwarmGroup,
  id: string,
  targets: LevelTargets,
  options: LevelOptions,
  state: SideState | undefined,
): Promise<void> {
  let url: string;
  let headers: Record<string, string>;
  let body: Buffer;
  if (side === 'hub') {
    url = `${targets.hub.url}/api/v1/alerts`;
    headers = { Authorization: `Bearer ${targets.hub.key}`, 'Content-Type': 'application/cap+xml' };
    body = Buffer.from(benchAlertXml(id));
  } else {
    url = `${targets.bareUrl}/emit`;
    headers = { 'Content-Type': 'application/json' };
    const payload = { ...targets.template, alert: { ...targets.template.alert, identifier: id } };
    body = Buffer.from(JSON.stringify(payload));
  }
  const complete = targets.swarm.complete(side, id, options.completeTimeoutMs);
  const started = now();
  const answer = await postOnce(targets.agent, url, headers, body);
  const answered = now();
  const ok = answer.status === (side === 'hub' ? 201 : 204);
  if (ok && side === 'hub') {
    const seq = (JSON.parse(answer.body.toString('utf8')) as { seq?: unknown }).seq;
    if (typeof seq === 'number') targets.onSeq(seq);
  }
  const arrived = ok ? await complete : false;
  if (state === undefined) return;
  state.starts.set(id, started);
  state.answers.push(answered - started);
  if (!ok) state.sendErrors += 1;
  else if (!arrived) state.timeouts += 1;
}

async function summarise(
  side: SwarmGroup,
  state: SideState,
  targets: LevelTargets,
  consoles: number,
): Promise<SideResult> {
  const { times, disconnects } = await targets.swarm.take(side);
  const all: number[] = [];
  const last: number[] = [];
  for (const [id, started] of state.starts) {
    const received = times.get(id);
    if (received === undefined || received.length === 0) continue;
    let max = -Infinity;
    for (const at of received) {
      const ms = at - targets.clockOffsetMs - started;
      all.push(ms);
      if (ms > max) max = ms;
    }
    last.push(max);
  }
  return {
    delivery: summariseLatencies(Float64Array.from(all)),
    lastConsole: summariseLatencies(Float64Array.from(last)),
    answer: summariseLatencies(Float64Array.from(state.answers)),
    deliveries: all.length,
    missing: consoles * state.starts.size - all.length,
    timeouts: state.timeouts,
    sendErrors: state.sendErrors,
    disconnects,
  };
}

/** Runs one level: warm-up, then the measured alerts, alternating servers. */
export async function measureLevel(
  targets: LevelTargets,
  options: LevelOptions,
): Promise<{ hub: SideResult; bare: SideResult; swarmCpuUsPerDelivery: number; wallMs: number }> {
  for (let i = 0; i < options.warmup; i += 1) {
    await sendOne('hub', `bench.rt.${targets.tag}.w.hub.${i}`, targets, options, undefined);
    await sleep(options.gapMs);
    await sendOne('bare', `bench.rt.${targets.tag}.w.bare.${i}`, targets, options, undefined);
    await sleep(options.gapMs);
  }
  await targets.swarm.take('hub');
  await targets.swarm.take('bare');

  const states: Record<SwarmGroup, SideState> = {
    hub: { starts: new Map(), answers: [], timeouts: 0, sendErrors: 0 },
    bare: { starts: new Map(), answers: [], timeouts: 0, sendErrors: 0 },
  };
  const cpuBefore = await targets.swarm.usage();
  const started = performance.now();
  for (let i = 0; i < options.alerts; i += 1) {
    const order: SwarmGroup[] = i % 2 === 0 ? ['hub', 'bare'] : ['bare', 'hub'];
    for (const side of order) {
      await sendOne(side, `bench.rt.${targets.tag}.${side}.${i}`, targets, options, states[side]);
      await sleep(options.gapMs);
    }
  }
  const wallMs = performance.now() - started;
  const cpuAfter = await targets.swarm.usage();
  const hub = await summarise('hub', states.hub, targets, options.consoles);
  const bare = await summarise('bare', states.bare, targets, options.consoles);
  const deliveries = hub.deliveries + bare.deliveries;
  return {
    hub,
    bare,
    swarmCpuUsPerDelivery:
      deliveries === 0 ? NaN : round(((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / deliveries, 3),
    wallMs: round(wallMs),
  };
}
