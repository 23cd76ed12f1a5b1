/**
 * `npm run demo` end to end, as a new user runs it: a real process on a free port with its own
 * temporary data directory, the real Mosquitto broker, and the REST API to see what the console
 * would show — national alerts, and the river gauge's transboundary draft that the printed
 * issuer approves. Without a broker the demo says the gauge is off, and the rest still runs.
 * Each run is stopped with Ctrl-C (SIGINT to its process group) and must leave nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect } from 'chai';
import mqtt from 'mqtt';
import request from 'supertest';
import { loadRegion } from '../../server/region/region.ts';
import { hubMqttClientId } from '../../server/sensors/mqtt-subscription.ts';
import { MQTT_URL } from '../server/sensors/mqtt.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A running `npm run demo`. */
interface Demo {
  readonly child: ChildProcess;
  /** Everything printed on stdout so far. */
  out(): string;
  /** Resolves with the first match of `pattern` in stdout, within `ms`. */
  line(pattern: RegExp, ms: number): Promise<RegExpExecArray>;
  /** How it ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDemo(env: Record<string, string>): Demo {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.HUB_DATA_DIR;
  const child = spawn('npm', ['run', '-s', 'demo'], {
    cwd: root,
    env: { ...base, HUB_PORT: '0', DEMO_SPEED: '5', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so Ctrl-C reaches npm, tsx and the demo as in a terminal.
    detached: true,
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  return {
    child,
    out: () => out,
    exited,
    line: (pattern, ms) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(out);
          if (match !== null) finish(() => resolve(match));
          else if (child.exitCode !== null)
            finish(() => reject(new Error(`the demo exited (${child.exitCode}):\n${out}\n${err}`)));
        };
        const timer = setTimeout(() => {
          finish(() => reject(new Error(`no line ${pattern} within ${ms} ms:\n${out}\n${err}`)));
        }, ms);
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      }),
  };
}

/** True while any process of the group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C: SIGINT to the whole process group, as a terminal sends it. The demo stops and exits
 * 0; npm then ends itself with the signal, as after any Ctrl-C (a shell shows status 130).
 */
async function stopDemo(demo: Demo): Promise<boolean> {
  const pid = demo.child.pid;
  if (pid === undefined) return false;
  process.kill(-pid, 'SIGINT');
  const { code, signal } = await demo.exited;
  // npm and tsx leave with it; give the group a moment to be reaped.
  for (let k = 0; k < 50 && groupAlive(pid); k++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return code === 0 || signal === 'SIGINT';
}

async function logIn(base: string, name: string, password: string): Promise<string> {
  const res = await request(base).post('/api/v1/session').send({ name, password });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.token as string;
}

async function poll<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether the broker still keeps a persistent session for `clientId` (ends the check's own). */
async function sessionKept(clientId: string): Promise<boolean> {
  const client = mqtt.connect(MQTT_URL, { clientId, clean: false, reconnectPeriod: 0 });
  const present = await new Promise<boolean>((resolve, reject) => {
    client.once('connect', (connack) => {
      resolve(connack.sessionPresent);
    });
    client.once('error', reject);
  });
  await client.endAsync();
  const cleaner = await mqtt.connectAsync(MQTT_URL, { clientId, clean: true, reconnectPeriod: 0 });
  await cleaner.endAsync();
  return present;
}

function readyLines(demo: Demo): {
  base: string;
  dataDir: string;
  user(name: string): { name: string; password: string };
} {
  const out = demo.out();
  const hub = /EWX demo hub on (http:\/\/\S+) \(embedded store in (\S+)\)/.exec(out);
  if (hub?.[1] === undefined || hub[2] === undefined) throw new Error(`no hub line:\n${out}`);
  return {
    base: hub[1],
    dataDir: hub[2],
    user(name) {
      const m = new RegExp(`^ {2}(${name}\\S*) {2}password (\\S+)`, 'm').exec(out);
      if (m?.[1] === undefined || m[2] === undefined) throw new Error(`no log-in of ${name}`);
      return { name: m[1], password: m[2] };
    },
  };
}

describe('npm run demo', function () {
  this.timeout(150_000);
  let demo: Demo | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    const pid = demo?.child.pid;
    if (demo !== undefined && pid !== undefined && groupAlive(pid)) {
      process.kill(-pid, 'SIGKILL');
      await demo.exited;
    }
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    demo = undefined;
    dataDir = undefined;
  });

  it('shows national alerts and a transboundary draft from the MQTT river gauge, which the printed issuer approves', async () => {
    demo = startDemo({ MQTT_URL });
    await demo.line(/Ctrl-C stops the demo/, 90_000);
    const ready = readyLines(demo);
    dataDir = ready.dataDir;
    const station = /station (kg-tash-komur-[0-9a-f]{4}) of kg-mes/.exec(demo.out())?.[1];
    if (station === undefined) throw new Error(`no station line:\n${demo.out()}`);
    const issuer = ready.user('centre-issuer');
    const token = await logIn(ready.base, issuer.name, issuer.password);
    const get = (path: string) =>
      request(ready.base).get(path).set('authorization', `Bearer ${token}`).expect(200);
    const pending = async () =>
      (await get(`/api/v1/drafts?status=pending&station=${station}`)).body.items as {
        id: string;
        station: string;
        to: string;
      }[];

    // Within 90 s: the national services' alerts, and a pending draft for the gauge.
    const { alerts, draft } = await poll(
      async () => {
        const alerts = (await get('/api/v1/alerts?limit=100')).body.items as { sender: string }[];
        const [draft] = await pending();
        return alerts.length > 0 && draft !== undefined ? { alerts, draft } : undefined;
      },
      90_000,
      'alerts and a pending draft',
    );
    expect(alerts.map((a) => a.sender)).to.include('cap@mes.gov.kg');
    expect(draft.station).to.equal(station);
    expect(['warning', 'danger']).to.include(draft.to);
    // The readings came over MQTT and are readable as observations.
    const observations = (await get(`/api/v1/observations?station=${station}`)).body.items;
    expect(observations[0]).to.include({ via: 'mqtt', unit: 'cm' });
    await demo.line(new RegExp(`hub: draft ${draft.id} .* for UZ, TJ, KZ awaits`), 30_000);

    // The printed issuer approves it (the newest pending one, should a higher level have
    // superseded it meanwhile): a hub alert for the downstream countries goes out.
    let approved = await request(ready.base)
      .post(`/api/v1/drafts/${draft.id}/approve`)
      .set('authorization', `Bearer ${token}`)
      .send({});
    for (let attempt = 0; approved.status === 409 && attempt < 3; attempt++)
      approved = await request(ready.base)
        .post(`/api/v1/drafts/${(await pending())[0]?.id ?? draft.id}/approve`)
        .set('authorization', `Bearer ${token}`)
        .send({});
    expect(approved.status, JSON.stringify(approved.body)).to.equal(201);
    const hubAlert = (await get(`/api/v1/alerts/${approved.body.hubAlertId}`)).body;
    expect(hubAlert.countries).to.include.members(['KG', 'UZ', 'TJ', 'KZ']);
    await demo.line(/approved by centre-issuer\S*: hub alert \S+ is out to KG, UZ, TJ, KZ/, 30_000);

    // Ctrl-C: a clean exit; the temporary data directory and the hub's MQTT sessions are gone.
    expect(await stopDemo(demo), demo.out()).to.equal(true);
    expect(demo.out()).to.match(/stopping the demo…\n$/);
    expect(groupAlive(demo.child.pid ?? 0)).to.equal(false);
    expect(existsSync(ready.dataDir)).to.equal(false);
    const regionId = loadRegion().id;
    expect(await sessionKept(hubMqttClientId('obs', ready.dataDir, regionId))).to.equal(false);
  });

  it('says plainly that the river gauge is off when no broker answers, and runs the rest', async () => {
    const port = await closedPort();
    demo = startDemo({ MQTT_URL: `mqtt://127.0.0.1:${port}` });
    await demo.line(/Ctrl-C stops the demo/, 90_000);
    const ready = readyLines(demo);
    dataDir = ready.dataDir;
    expect(demo.out()).to.contain(`off: no MQTT broker answers at mqtt://127.0.0.1:${port}`);
    expect(demo.out()).to.contain('start a broker');
    const duty = ready.user('centre-duty');
    const token = await logIn(ready.base, duty.name, duty.password);
    const get = (path: string) =>
      request(ready.base).get(path).set('authorization', `Bearer ${token}`).expect(200);
    const alerts = await poll(
      async () => {
        const items = (await get('/api/v1/alerts?limit=100')).body.items as { sender: string }[];
        return items.length > 0 ? items : undefined;
      },
      60_000,
      'alerts',
    );
    expect(alerts.map((a) => a.sender)).to.include('cap@mes.gov.kg');
    expect(demo.out()).not.to.match(/kg-tash-komur/);
    expect(await stopDemo(demo), demo.out()).to.equal(true);
    expect(demo.out()).to.match(/stopping the demo…\n$/);
    expect(existsSync(ready.dataDir)).to.equal(false);
  });
});
