/**
 * The store contract: what every {@link HubStore} adapter must do, written once and run against
 * each (STYLE.md, "every store adapter through one shared contract suite"). An adapter's test
 * file calls {@link storeContract} with a function that opens a fresh, empty store; the suite
 * initialises it, uses it for one test and closes it.
 */
import { expect } from 'chai';
import type { FeatureCollection } from 'geojson';
import { buildCap } from '../../../protocols/cap/build.ts';
import type { CapReference } from '../../../protocols/cap/model.ts';
import { reason } from '../../../protocols/cap/reasons.ts';
import type { Organisation } from '../../../server/region/region.ts';
import type {
  AlertCandidate,
  AlertQuery,
  AlertState,
  AlertSummary,
  ApiKeyRecord,
  HubEvent,
  HubStore,
  IngestResult,
  QuarantineEntry,
  Visibility,
} from '../../../server/store/ports.ts';
import { validAlert } from '../../helpers/cap.ts';

/** The alert state an `alert` or `alert-state` event carries. */
function eventState(event: HubEvent): unknown {
  return (event.data as { alert?: { state?: unknown } }).alert?.state;
}

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** When the test alerts are sent. */
export const T0 = Date.parse('2026-04-02T00:00:00Z');
/** When the test alerts are received and stored, unless a test says otherwise. */
export const NOW = T0 + MINUTE;

/** The organisations every contract store is initialised with. */
export const contractOrganisations: readonly Organisation[] = [
  { id: 'hub', country: null, name: { en: 'Regional centre' } },
  { id: 'kz-mes', country: 'KZ', name: { en: 'MES of Kazakhstan', ru: 'МЧС Казахстана' } },
  { id: 'kg-mes', country: 'KG', name: { en: 'MES of the Kyrgyz Republic' } },
  { id: 'uz-mes', country: 'UZ', name: { en: 'MES of Uzbekistan' } },
];

const hubViewer: Visibility = { kind: 'organisation', orgId: 'hub', country: null, isHub: true };
const publicViewer: Visibility = { kind: 'public' };
function orgViewer(orgId: string, country: string): Visibility {
  return { kind: 'organisation', orgId, country, isHub: false };
}

/** CAP 1.2 dateTime of an instant (no fractions, no "Z"). */
function capTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** What a test may choose of a candidate; everything else is derived consistently. */
export interface CandidateSpec {
  readonly sender?: string;
  readonly identifier?: string;
  readonly sentMs?: number;
  readonly status?: string;
  readonly msgType?: 'Alert' | 'Update' | 'Cancel';
  readonly scope?: 'Public' | 'Restricted' | 'Private';
  readonly addresses?: readonly string[];
  /** The alerts it references (only their triples are used). */
  readonly references?: readonly CapReference[];
  readonly orgId?: string;
  readonly receivedMs?: number;
  /** Null: never expires. */
  readonly expiresMs?: number | null;
  readonly event?: string;
  readonly severity?: string;
  readonly countries?: readonly string[];
  /** False: an alert without geometry (geocodes only). */
  readonly geometry?: boolean;
  /**
   * A language edition (MeteoInfo): identifier `<base>-<LANGUAGE>`, info language `language`,
   * and the edition hint ingest would compute (`hint: false` leaves the hint out).
   */
  readonly edition?: { readonly base: string; readonly language: string; readonly hint?: boolean };
}

let serial = 0;

/** A valid candidate: a KG mudflow warning unless `spec` says otherwise, with realistic raw CAP. */
export function candidate(spec: CandidateSpec = {}): AlertCandidate {
  serial += 1;
  const sender = spec.sender ?? 'cap@mes.gov.kg';
  const edition = spec.edition;
  const identifier =
    edition === undefined
      ? (spec.identifier ?? `EWX.CONTRACT.${serial}`)
      : `${edition.base}-${edition.language.toUpperCase()}`;
  const sentMs = spec.sentMs ?? T0;
  const receivedMs = spec.receivedMs ?? NOW;
  const expiresMs = spec.expiresMs === undefined ? T0 + DAY : spec.expiresMs;
  const references = (spec.references ?? []).map((r) => ({
    sender: r.sender,
    identifier: r.identifier,
    sent: r.sent,
  }));
  const addresses = spec.addresses ?? [];
  const alert = validAlert();
  alert.identifier = identifier;
  alert.sender = sender;
  alert.sent = capTime(sentMs);
  alert.status = spec.status ?? 'Actual';
  alert.msgType = spec.msgType ?? 'Alert';
  alert.scope = spec.scope ?? 'Public';
  if (alert.scope === 'Restricted') alert.restriction = 'Partner duty services only';
  if (addresses.length > 0)
    alert.addresses = addresses.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ');
  if (references.length > 0)
    alert.references = references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ');
  const info = alert.info[0];
  if (info === undefined) throw new Error('validAlert() has an info block');
  info.event = spec.event ?? 'Mudflow';
  info.severity = spec.severity ?? 'Severe';
  if (edition !== undefined) info.language = edition.language;
  info.effective = alert.sent;
  if (expiresMs === null) delete info.expires;
  else info.expires = capTime(expiresMs);
  const withGeometry = spec.geometry ?? true;
  if (!withGeometry) {
    for (const area of info.area) {
      area.polygon = [];
      area.circle = [];
    }
  }
  const areas: FeatureCollection = {
    type: 'FeatureCollection',
    features: withGeometry
      ? [
          {
            type: 'Feature',
            properties: { infoIndex: 0, areaIndex: 0, areaDesc: 'Alamedin district, Chüy region' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [74.6, 42.6],
                  [74.6, 42.8],
                  [74.8, 42.8],
                  [74.8, 42.6],
                  [74.6, 42.6],
                ],
              ],
            },
          },
          {
            type: 'Feature',
            properties: { infoIndex: 0, areaIndex: 1, areaDesc: 'Alamedin bridge' },
            geometry: { type: 'Point', coordinates: [74.7, 42.7] },
          },
        ]
      : [],
  };
  return {
    id: `al_contract_${String(serial).padStart(6, '0')}`,
    sender,
    identifier,
    sent: alert.sent,
    sentMs,
    status: alert.status,
    msgType: alert.msgType,
    scope: alert.scope,
    addresses,
    orgId: spec.orgId ?? 'kg-mes',
    receivedAt: new Date(receivedMs).toISOString(),
    expiresAt: expiresMs === null ? null : new Date(expiresMs).toISOString(),
    expiresMs,
    event: info.event,
    severity: info.severity,
    urgency: info.urgency,
    certainty: info.certainty,
    headline: info.headline ?? null,
    countries: spec.countries ?? ['KG'],
    bbox: withGeometry ? [74.6, 42.6, 74.8, 42.8] : null,
    warnings: [reason('CAP_DEPRECATED_VALUE', '/alert[1]/info[1]/category[1]', 'a kept warning')],
    alert,
    references,
    areas,
    raw: new TextEncoder().encode(buildCap(alert)),
    ...(edition === undefined || edition.hint === false
      ? {}
      : { edition: { key: `${sender} ${edition.base}`, language: edition.language } }),
  };
}

/** The record a store should return for `c`, with what the store assigns. */
function expectedRecord(
  c: AlertCandidate,
  assigned: { seq: number; state: AlertState; threadId: string },
  whole: boolean,
): Record<string, unknown> {
  // Not a language edition (the edition cases check those fields themselves).
  const expected: Record<string, unknown> = {
    ...c,
    ...assigned,
    language: null,
    editionOf: null,
    editions: [],
  };
  delete expected.edition;
  delete expected.raw;
  delete expected.sentMs;
  delete expected.expiresMs;
  if (!whole) {
    delete expected.alert;
    delete expected.references;
    delete expected.areas;
  }
  return expected;
}

function bytes(value: Uint8Array | undefined): number[] | undefined {
  return value === undefined ? undefined : Array.from(value);
}

function idsOf(list: readonly { readonly id: string }[]): string[] {
  return list.map((a) => a.id);
}

function apiKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: 'key_1',
    orgId: 'kz-mes',
    hash: 'a'.repeat(64),
    scopes: ['alerts:write', 'alerts:read'],
    senders: ['cap@emer.kz'],
    createdAt: new Date(T0).toISOString(),
    revokedAt: null,
    label: 'KZ feed',
    ...overrides,
  };
}

function quarantineEntry(orgId: string, k: number): QuarantineEntry {
  return {
    id: `q_${String(k).padStart(12, '0')}`,
    orgId,
    receivedAt: new Date(T0 + k * 1000).toISOString(),
    code: 'CAP_INVALID',
    reasons: [reason('CAP_MISSING_REQUIRED_ELEMENT', '/alert[1]/sender[1]', `entry ${k}`)],
    contentType: k % 2 === 0 ? 'application/cap+xml' : null,
    bytes: 5 + k,
    raw: Uint8Array.from([0x3c, 0x00, 0xff, k, 0x3e]),
  };
}

/** Defines the contract suite for one adapter; `open` gives a fresh, empty, uninitialised store. */
export function storeContract(name: string, open: () => Promise<HubStore>): void {
  describe(`${name} store contract`, () => {
    let store: HubStore;

    beforeEach(async () => {
      store = await open();
      await store.init(contractOrganisations);
    });

    afterEach(async () => {
      await store.close();
    });

    function ingest(c: AlertCandidate, nowMs = NOW): Promise<IngestResult> {
      return store.ingestAlert(c, nowMs);
    }

    async function stateOf(c: AlertCandidate): Promise<AlertState | undefined> {
      return (await store.getAlert(c.id))?.state;
    }

    function list(query: Partial<AlertQuery> = {}): Promise<AlertSummary[]> {
      return store.listAlerts({ limit: 1000, visibleTo: hubViewer, ...query });
    }

    describe('organisations', () => {
      it('lists the organisations given to init, in their order', async () => {
        expect(await store.listOrganisations()).to.deep.equal(contractOrganisations);
      });

      it('upserts on a second init: changed names update, new organisations are added last', async () => {
        const renamed = contractOrganisations.map((o) =>
          o.id === 'kg-mes' ? { ...o, name: { en: 'Ministry of Emergencies (KG)' } } : o,
        );
        const added = { id: 'tj-coes', country: 'TJ', name: { en: 'CoES of Tajikistan' } };
        await store.init([...renamed, added]);
        await store.init([...renamed, added]);
        expect(await store.listOrganisations()).to.deep.equal([...renamed, added]);
      });

      it('answers ping while open', async () => {
        await store.ping();
      });
    });

    describe('API keys', () => {
      it('finds a key by its hash, as it was stored', async () => {
        const key = apiKey();
        const any = apiKey({ id: 'key_2', hash: 'b'.repeat(64), senders: null, label: null });
        await store.insertApiKey(key);
        await store.insertApiKey(any);
        expect(await store.findApiKeyByHash(key.hash)).to.deep.equal(key);
        expect(await store.findApiKeyByHash(any.hash)).to.deep.equal(any);
      });

      it('answers undefined for an unknown hash', async () => {
        await store.insertApiKey(apiKey());
        expect(await store.findApiKeyByHash('c'.repeat(64))).to.equal(undefined);
      });

      it('counts keys', async () => {
        expect(await store.countApiKeys()).to.equal(0);
        await store.insertApiKey(apiKey());
        await store.insertApiKey(apiKey({ id: 'key_2', hash: 'b'.repeat(64) }));
        expect(await store.countApiKeys()).to.equal(2);
      });

      it('refuses a second key with the same hash', async () => {
        await store.insertApiKey(apiKey());
        let refused = false;
        await store.insertApiKey(apiKey({ id: 'key_2' })).catch(() => (refused = true));
        expect(refused).to.equal(true);
        expect(await store.countApiKeys()).to.equal(1);
      });

      it('refuses a key of an organisation it does not know', async () => {
        let refused = false;
        await store.insertApiKey(apiKey({ orgId: 'nowhere' })).catch(() => (refused = true));
        expect(refused).to.equal(true);
        expect(await store.countApiKeys()).to.equal(0);
      });
    });

    describe('ingest and read back', () => {
      it('stores a new alert and gives back its CAP, areas and raw bytes unchanged', async () => {
        const base = candidate({ addresses: ['kz-mes', 'Duty service'] });
        // The store keeps bytes, not text: NUL, 0xFF and a BOM-like tail survive.
        const raw = Uint8Array.from([...base.raw, 0x00, 0xff, 0xfe, 0xef, 0xbb, 0xbf]);
        const c = { ...base, raw };
        const result = await ingest(c);
        expect(result.outcome).to.equal('created');
        expect(result.notes).to.deep.equal([]);
        expect(result.record.seq).to.be.greaterThan(0);
        const assigned = { seq: result.record.seq, state: 'active' as const, threadId: c.id };
        expect(result.record).to.deep.equal(expectedRecord(c, assigned, false));
        expect(await store.getAlert(c.id)).to.deep.equal(expectedRecord(c, assigned, true));
        expect(bytes(await store.getAlertRaw(c.id))).to.deep.equal(Array.from(raw));
      });

      it('stores an alert without geometry', async () => {
        const c = candidate({ geometry: false });
        const result = await ingest(c);
        expect(result.outcome).to.equal('created');
        const stored = await store.getAlert(c.id);
        expect(stored?.areas).to.deep.equal({ type: 'FeatureCollection', features: [] });
        expect(stored?.bbox).to.equal(null);
      });

      it('answers undefined for an unknown id', async () => {
        expect(await store.getAlert('al_unknown')).to.equal(undefined);
        expect(await store.getAlertRaw('al_unknown')).to.equal(undefined);
      });

      it('answers the same triple twice with the stored alert and writes nothing', async () => {
        const first = candidate({ identifier: 'KG.DUP.1' });
        const created = await ingest(first);
        const latest = await store.latestSeq();
        const again = {
          ...candidate({ identifier: 'KG.DUP.1', event: 'Flood' }),
          sent: first.sent,
        };
        const duplicate = await ingest(again, NOW + MINUTE);
        expect(duplicate.outcome).to.equal('duplicate');
        expect(duplicate.notes).to.deep.equal([]);
        expect(duplicate.record).to.deep.equal(created.record);
        expect(await store.latestSeq()).to.equal(latest);
        expect(await store.eventsAfter(latest, 10)).to.deep.equal([]);
        expect(await store.getAlert(again.id)).to.equal(undefined);
        expect(idsOf(await list())).to.deep.equal([first.id]);
        expect(await store.historyOf(first.id)).to.have.length(1);
      });

      it('keeps alerts whose triples differ in one part apart', async () => {
        const a = candidate({ identifier: 'KG.1', sentMs: T0 });
        const laterSent = candidate({ identifier: 'KG.1', sentMs: T0 + MINUTE });
        const otherSender = candidate({ identifier: 'KG.1', sentMs: T0, sender: 'cap@emer.kz' });
        for (const c of [a, laterSent, otherSender])
          expect((await ingest(c)).outcome).to.equal('created');
        expect(await list()).to.have.length(3);
      });

      it("writes the source's routing record with the hub alert that answers it, not with a duplicate", async () => {
        const source = { ...candidate(), routing: { decision: { countries: ['KZ'] }, hub: null } };
        await ingest(source);
        const record = (hubId: string) => ({ decision: { countries: ['KZ'] }, hub: { hubId } });
        const hub = {
          ...candidate({ sender: 'hub@ewx.example', identifier: 'EWX.HUB.1', orgId: 'hub' }),
          sourceRouting: { alertId: source.id, routing: record('first') },
        };
        expect((await ingest(hub)).outcome).to.equal('created');
        expect(await store.getRouting(source.id)).to.deep.equal(record('first'));
        // The same hub alert again: a duplicate writes nothing, the source's record included.
        const again = {
          ...hub,
          id: 'al_again',
          sourceRouting: { alertId: source.id, routing: record('again') },
        };
        expect((await ingest(again)).outcome).to.equal('duplicate');
        expect(await store.getRouting(source.id)).to.deep.equal(record('first'));
        expect(await store.getRouting(hub.id)).to.equal(null);
      });

      it('lists the alerts still awaiting their hub outcome, oldest first, until it is recorded', async () => {
        const decision = { decision: { countries: ['KZ'] }, hub: null };
        const awaiting = (spec: CandidateSpec = {}) => ({
          ...candidate(spec),
          routing: decision,
          awaitsHubOutcome: true,
        });
        const a = awaiting({ receivedMs: NOW - 2 * MINUTE });
        const b = awaiting({ receivedMs: NOW - 2 * MINUTE });
        const answered = awaiting({ receivedMs: NOW - 2 * MINUTE });
        const recent = awaiting({ receivedMs: NOW });
        const notAwaiting = { ...candidate({ receivedMs: NOW - 2 * MINUTE }), routing: decision };
        const cancelled = awaiting({ receivedMs: NOW - 2 * MINUTE });
        for (const c of [a, b, answered, recent, notAwaiting, cancelled]) await ingest(c);
        await ingest(
          candidate({ msgType: 'Cancel', references: [cancelled], sentMs: T0 + MINUTE }),
          NOW,
        );
        // The hub alert answering `answered` records its outcome in its own write.
        await ingest({
          ...candidate({ sender: 'hub@ewx.example', orgId: 'hub' }),
          sourceRouting: {
            alertId: answered.id,
            routing: { ...decision, hub: { action: 'alert' } },
          },
        });
        const before = new Date(NOW - MINUTE).toISOString();
        const waiting = await store.alertsAwaitingHubOutcome({
          receivedBefore: before,
          afterSeq: 0,
          limit: 10,
        });
        expect(waiting.map((w) => w.id)).to.deep.equal([a.id, b.id]);
        // Paged by sequence number.
        const [first] = waiting;
        expect(
          await store.alertsAwaitingHubOutcome({ receivedBefore: before, afterSeq: 0, limit: 1 }),
        ).to.deep.equal([first]);
        expect(
          (
            await store.alertsAwaitingHubOutcome({
              receivedBefore: before,
              afterSeq: first?.seq ?? 0,
              limit: 10,
            })
          ).map((w) => w.id),
        ).to.deep.equal([b.id]);
        // Recording the outcome ends the wait.
        expect(await store.setRouting(a.id, { ...decision, hub: { action: 'none' } })).to.equal(
          true,
        );
        expect(
          (
            await store.alertsAwaitingHubOutcome({ receivedBefore: before, afterSeq: 0, limit: 10 })
          ).map((w) => w.id),
        ).to.deep.equal([b.id]);
      });
    });

    describe('sequence numbers and events', () => {
      it('is 0 for an empty store', async () => {
        expect(await store.latestSeq()).to.equal(0);
        expect(await store.eventsAfter(0, 10)).to.deep.equal([]);
      });

      it('numbers alerts and state changes strictly increasing, one event each', async () => {
        const a = candidate({ expiresMs: T0 + HOUR });
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + 1000 });
        const c = candidate({ expiresMs: T0 + 2 * HOUR });
        const ra = await ingest(a);
        const rb = await ingest(b);
        const rc = await ingest(c);
        const expired = await store.expireDue(T0 + 3 * HOUR);
        const events = await store.eventsAfter(0, 100);
        expect(events.map((e) => [e.type, e.subjectId, eventState(e)])).to.deep.equal([
          ['alert', a.id, 'active'],
          ['alert', b.id, 'active'],
          ['alert-state', a.id, 'superseded'],
          ['alert', c.id, 'active'],
          ['alert-state', c.id, 'expired'],
        ]);
        const seqs = events.map((e) => e.seq);
        for (let k = 1; k < seqs.length; k += 1)
          expect(seqs[k]).to.be.greaterThan(seqs[k - 1] ?? Infinity);
        expect([ra.record.seq, rb.record.seq, rc.record.seq]).to.deep.equal([
          seqs[0],
          seqs[1],
          seqs[3],
        ]);
        expect(expired.map((s) => s.seq)).to.deep.equal([seqs[4]]);
        expect(await store.latestSeq()).to.equal(seqs[4]);
        expect(events[0]?.at).to.equal(new Date(NOW).toISOString());
      });

      it('gives the events after a sequence number, in order, up to the limit', async () => {
        const alerts = [candidate(), candidate(), candidate(), candidate()];
        const seqs: number[] = [];
        for (const c of alerts) seqs.push((await ingest(c)).record.seq);
        const after = await store.eventsAfter(seqs[0] ?? 0, 2);
        expect(after.map((e) => e.seq)).to.deep.equal([seqs[1], seqs[2]]);
        expect(after.map((e) => e.subjectId)).to.deep.equal([alerts[1]?.id, alerts[2]?.id]);
        expect(await store.eventsAfter(seqs[3] ?? 0, 10)).to.deep.equal([]);
      });
    });

    describe('lifecycle', () => {
      it('lets an Update supersede the alert it references and join its thread', async () => {
        const a = candidate();
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE });
        await ingest(a);
        const rb = await ingest(b);
        expect(rb.record.state).to.equal('active');
        expect(rb.record.threadId).to.equal(a.id);
        expect(rb.notes).to.deep.equal([]);
        expect(await stateOf(a)).to.equal('superseded');
        expect(idsOf(await store.threadOf(a.id))).to.deep.equal([a.id, b.id]);
      });

      it('lets a Cancel cancel the alert it references', async () => {
        const a = candidate();
        const c = candidate({ msgType: 'Cancel', references: [a], sentMs: T0 + MINUTE });
        await ingest(a);
        const rc = await ingest(c);
        expect(await stateOf(a)).to.equal('cancelled');
        expect(rc.record.threadId).to.equal(a.id);
        expect(await store.countActive()).to.equal(1);
      });

      it('lets a Cancel naming a whole thread cancel the superseded original too', async () => {
        const a = candidate();
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE });
        const c = candidate({ msgType: 'Cancel', references: [a, b], sentMs: T0 + 2 * MINUTE });
        for (const x of [a, b, c]) await ingest(x);
        expect([await stateOf(a), await stateOf(b), await stateOf(c)]).to.deep.equal([
          'cancelled',
          'cancelled',
          'active',
        ]);
        expect(idsOf(await store.threadOf(a.id))).to.deep.equal([a.id, b.id, c.id]);
      });

      it('does not revive a cancelled alert with a later Update', async () => {
        const a = candidate();
        await ingest(a);
        await ingest(candidate({ msgType: 'Cancel', references: [a], sentMs: T0 + MINUTE }));
        await ingest(candidate({ msgType: 'Update', references: [a], sentMs: T0 + 2 * MINUTE }));
        expect(await stateOf(a)).to.equal('cancelled');
      });

      it('leaves an alert of another sender unchanged and says why', async () => {
        const a = candidate({ sender: 'cap@mes.gov.kg' });
        const c = candidate({
          sender: 'cap@emer.kz',
          orgId: 'kz-mes',
          msgType: 'Cancel',
          references: [a],
          sentMs: T0 + MINUTE,
        });
        await ingest(a);
        const latest = await store.latestSeq();
        const rc = await ingest(c);
        expect(rc.outcome).to.equal('created');
        expect(rc.notes.map((n) => n.code)).to.deep.equal(['LIFECYCLE_FOREIGN_SENDER']);
        expect(await stateOf(a)).to.equal('active');
        expect(rc.record.threadId).to.equal(c.id);
        expect((await store.eventsAfter(latest, 10)).map((e) => e.subjectId)).to.deep.equal([c.id]);
        expect(await store.historyOf(a.id)).to.have.length(1);
      });

      it('stores the original as superseded, in the thread, when its Update came first', async () => {
        const a = candidate();
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE });
        const rb = await ingest(b);
        expect(rb.record.state).to.equal('active');
        const ra = await ingest(a, NOW + MINUTE);
        expect(ra.outcome).to.equal('created');
        expect(ra.record.state).to.equal('superseded');
        expect(ra.record.threadId).to.equal(rb.record.threadId);
        expect(idsOf(await store.threadOf(rb.record.threadId))).to.deep.equal([a.id, b.id]);
        expect(await stateOf(b)).to.equal('active');
        expect(await store.historyOf(a.id)).to.deep.equal([
          {
            seq: ra.record.seq,
            alertId: a.id,
            at: new Date(NOW + MINUTE).toISOString(),
            from: null,
            to: 'superseded',
            cause: 'update',
            byAlertId: b.id,
          },
        ]);
      });

      it('stores the original as cancelled when its Cancel came first', async () => {
        const a = candidate();
        const c = candidate({ msgType: 'Cancel', references: [a], sentMs: T0 + MINUTE });
        const rc = await ingest(c);
        // The Cancel's answer says it has cancelled nothing yet; the original's says nothing.
        expect(rc.notes.map((n) => n.code)).to.deep.equal(['LIFECYCLE_REFERENCE_PARKED']);
        const ra = await ingest(a);
        expect(ra.notes).to.deep.equal([]);
        expect(ra.record.state).to.equal('cancelled');
        expect(ra.record.threadId).to.equal(c.id);
        expect(await store.countActive()).to.equal(1);
        const events = await store.eventsAfter(0, 10);
        expect(events.map((e) => [e.subjectId, eventState(e)])).to.deep.equal([
          [c.id, 'active'],
          [a.id, 'cancelled'],
        ]);
      });

      it('matches a reference that writes the sent time with another offset, in either order', async () => {
        // The same instant as capTime(T0) (+00:00), written as Bishkek time.
        const inBishkek = (c: AlertCandidate): CapReference => ({
          sender: c.sender,
          identifier: c.identifier,
          sent: new Date(c.sentMs + 6 * HOUR).toISOString().replace(/\.\d{3}Z$/, '+06:00'),
        });
        const a = candidate();
        expect(inBishkek(a).sent).to.not.equal(a.sent);
        await ingest(a);
        await ingest(
          candidate({ msgType: 'Cancel', references: [inBishkek(a)], sentMs: T0 + MINUTE }),
        );
        expect(await stateOf(a)).to.equal('cancelled');

        const b = candidate();
        const update = candidate({
          msgType: 'Update',
          references: [inBishkek(b)],
          sentMs: T0 + MINUTE,
        });
        const ru = await ingest(update);
        const rb = await ingest(b, NOW + MINUTE);
        expect(rb.record.state).to.equal('superseded');
        expect(idsOf(await store.threadOf(ru.record.threadId))).to.deep.equal([b.id, update.id]);
        // A reference with another instant names another message: still parked, unchanged.
        const c = candidate();
        const later = { ...inBishkek(c), sent: capTime(c.sentMs + 1000) };
        await ingest(candidate({ msgType: 'Cancel', references: [later], sentMs: T0 + MINUTE }));
        expect((await ingest(c)).record.state).to.equal('active');
      });

      it('lets a Cancel that came first win over an Update that came first', async () => {
        const a = candidate();
        await ingest(candidate({ msgType: 'Cancel', references: [a], sentMs: T0 + 2 * MINUTE }));
        await ingest(candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE }));
        expect((await ingest(a)).record.state).to.equal('cancelled');
      });

      it('leaves an alert of another organisation unchanged even when the Cancel copies its sender', async () => {
        const a = candidate({ sender: 'cap@mes.gov.kg', orgId: 'kg-mes' });
        const forged = candidate({
          sender: 'cap@mes.gov.kg',
          orgId: 'uz-mes',
          msgType: 'Cancel',
          references: [a],
          sentMs: T0 + MINUTE,
        });
        await ingest(a);
        const rc = await ingest(forged);
        expect(rc.notes.map((n) => n.code)).to.deep.equal(['LIFECYCLE_FOREIGN_SENDER']);
        expect(await stateOf(a)).to.equal('active');
        // The same forgery arriving first and parked does not cancel the original later.
        const b = candidate({ sender: 'cap@mes.gov.kg', orgId: 'kg-mes' });
        await ingest(
          candidate({
            sender: 'cap@mes.gov.kg',
            orgId: 'uz-mes',
            msgType: 'Cancel',
            references: [b],
            sentMs: T0 + MINUTE,
          }),
        );
        expect((await ingest(b)).record.state).to.equal('active');
      });

      it('ignores a parked reference of another sender when the original arrives', async () => {
        const a = candidate({ sender: 'cap@mes.gov.kg' });
        const foreign = candidate({
          sender: 'cap@emer.kz',
          orgId: 'kz-mes',
          msgType: 'Cancel',
          references: [a],
          sentMs: T0 + MINUTE,
        });
        await ingest(foreign);
        const ra = await ingest(a);
        expect(ra.record.state).to.equal('active');
        expect(ra.record.threadId).to.equal(a.id);
      });

      it('keeps one thread across a chain of updates', async () => {
        const a = candidate();
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE });
        const c = candidate({ msgType: 'Update', references: [b], sentMs: T0 + 2 * MINUTE });
        const threads: string[] = [];
        for (const x of [a, b, c]) threads.push((await ingest(x)).record.threadId);
        expect(threads).to.deep.equal([a.id, a.id, a.id]);
        expect(idsOf(await store.threadOf(a.id))).to.deep.equal([a.id, b.id, c.id]);
        expect(await store.threadOf('al_nothing')).to.deep.equal([]);
      });

      it('records every state change with its cause and the alert that caused it', async () => {
        const a = candidate();
        const b = candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE });
        const c = candidate({ msgType: 'Cancel', references: [a], sentMs: T0 + 2 * MINUTE });
        const ra = await ingest(a, NOW);
        await ingest(b, NOW + MINUTE);
        await ingest(c, NOW + 2 * MINUTE);
        const history = await store.historyOf(a.id);
        expect(history.map((h) => [h.from, h.to, h.cause, h.byAlertId, h.at])).to.deep.equal([
          [null, 'active', 'ingest', null, new Date(NOW).toISOString()],
          ['active', 'superseded', 'update', b.id, new Date(NOW + MINUTE).toISOString()],
          ['superseded', 'cancelled', 'cancel', c.id, new Date(NOW + 2 * MINUTE).toISOString()],
        ]);
        expect(history.every((h) => h.alertId === a.id)).to.equal(true);
        expect(history[0]?.seq).to.equal(ra.record.seq);
        const stateEvents = (await store.eventsAfter(0, 10)).filter((e) => e.subjectId === a.id);
        expect(history.map((h) => h.seq)).to.deep.equal(stateEvents.map((e) => e.seq));
        expect(await store.historyOf('al_nothing')).to.deep.equal([]);
      });
    });

    describe('language editions', () => {
      /** The English and Russian editions of one MeteoInfo-style warning. */
      function pair(base: string, spec: CandidateSpec = {}): [AlertCandidate, AlertCandidate] {
        return [
          candidate({ ...spec, edition: { base, language: 'en' } }),
          candidate({ ...spec, edition: { base, language: 'ru' } }),
        ];
      }

      /** The edition in `language` of an Update or Cancel of `original`, sent at `sentMs`. */
      function followUp(
        original: AlertCandidate,
        msgType: 'Update' | 'Cancel',
        base: string,
        sentMs: number,
      ): AlertCandidate {
        const language = original.identifier.endsWith('-EN') ? 'en' : 'ru';
        return candidate({ edition: { base, language }, msgType, references: [original], sentMs });
      }

      function editionsOf(a: { editions: readonly { id: string; language: string }[] }) {
        return a.editions.map((e) => [e.id, e.language]);
      }

      it('joins the second language to the first one: one thread, both active, nothing superseded', async () => {
        const [en, ru] = pair('KZ-20260402-0284797-00');
        const ren = await ingest(en);
        expect(ren.record).to.deep.include({ language: 'en', editionOf: en.id, threadId: en.id });
        expect(editionsOf(ren.record)).to.deep.equal([[en.id, 'en']]);
        const rru = await ingest(ru, NOW + 30_000);
        expect(rru.outcome).to.equal('created');
        expect(rru.record).to.deep.include({
          state: 'active',
          language: 'ru',
          editionOf: en.id,
          threadId: en.id,
        });
        expect(rru.notes).to.deep.equal([]);
        expect([await stateOf(en), await stateOf(ru)]).to.deep.equal(['active', 'active']);
        expect(await store.countActive()).to.equal(2);
        const both = [
          [en.id, 'en'],
          [ru.id, 'ru'],
        ];
        expect(editionsOf(rru.record)).to.deep.equal(both);
        const read = await store.getAlert(en.id);
        expect(read === undefined ? undefined : editionsOf(read)).to.deep.equal(both);
        expect(read?.editions.map((e) => e.state)).to.deep.equal(['active', 'active']);
        const thread = await store.threadOf(en.id);
        expect(thread.map((a) => [a.id, a.language])).to.deep.equal(both);
        expect(thread.map(editionsOf)).to.deep.equal([both, both]);
        const listed = await list();
        expect(listed.map((a) => [a.id, a.editionOf])).to.deep.equal([
          [ru.id, en.id],
          [en.id, en.id],
        ]);
        expect(listed.map(editionsOf)).to.deep.equal([both, both]);
        // The history says it was stored, not that it changed anything.
        expect((await store.historyOf(ru.id)).map((h) => [h.to, h.cause])).to.deep.equal([
          ['active', 'ingest'],
        ]);
        expect(await store.historyOf(en.id)).to.have.length(1);
        // Consoles learn which warning and language the new edition is.
        const events = await store.eventsAfter(ren.record.seq, 10);
        expect(events.map((e) => [e.subjectId, e.type])).to.deep.equal([[ru.id, 'alert']]);
        expect(events[0]?.data.alert).to.deep.include({ language: 'ru', editionOf: en.id });
      });

      it('joins them in either order: the Russian edition first, then the English', async () => {
        const [en, ru] = pair('KZ-20260402-0284798-00');
        await ingest(ru);
        const ren = await ingest(en);
        expect(ren.record).to.deep.include({ editionOf: ru.id, threadId: ru.id, state: 'active' });
        expect(editionsOf(ren.record)).to.deep.equal([
          [ru.id, 'ru'],
          [en.id, 'en'],
        ]);
      });

      it('answers a duplicate edition with its warning, and stores nothing', async () => {
        const [en, ru] = pair('KZ-20260402-0284799-00');
        await ingest(en);
        await ingest(ru);
        const latest = await store.latestSeq();
        const again = await ingest({ ...ru, id: 'al_contract_again' });
        expect(again.outcome).to.equal('duplicate');
        expect(again.record.id).to.equal(ru.id);
        expect(editionsOf(again.record)).to.deep.equal([
          [en.id, 'en'],
          [ru.id, 'ru'],
        ]);
        expect(await store.latestSeq()).to.equal(latest);
      });

      it('pairs only the same sender and organisation, another language, sent within 10 minutes', async () => {
        const base = 'KZ-20260402-0284800-00';
        const en = candidate({ edition: { base, language: 'en' } });
        await ingest(en);
        const lone = async (spec: CandidateSpec): Promise<void> => {
          const c = candidate(spec);
          const r = await ingest(c);
          expect(r.record.threadId, JSON.stringify(spec)).to.equal(c.id);
          expect(r.record.editionOf, JSON.stringify(spec)).to.equal(
            spec.edition?.hint === false ? null : c.id,
          );
        };
        // Another organisation posting the same sender and identifier base.
        await lone({ edition: { base, language: 'ru' }, orgId: 'uz-mes' });
        // Another sender.
        await lone({ edition: { base, language: 'ru' }, sender: 'cap@meteo.kg' });
        // The same language again (a different sent): not an edition of itself.
        await lone({ edition: { base, language: 'en' }, sentMs: T0 - MINUTE });
        // Sent 11 minutes later: another warning that happens to share the identifier base.
        await lone({ edition: { base, language: 'ru' }, sentMs: T0 + 11 * MINUTE });
        // No hint (ingest found no language suffix matching the info language, e.g. "-NW").
        await lone({ edition: { base, language: 'ru', hint: false }, sentMs: T0 + 2 * MINUTE });
        // Within the tolerance, on either side.
        for (const [language, offset] of [
          ['ru', 10 * MINUTE],
          ['kk', -9 * MINUTE],
        ] as const) {
          const c = candidate({ edition: { base, language }, sentMs: T0 + offset });
          const r = await ingest(c);
          expect(r.record).to.deep.include({ threadId: en.id, editionOf: en.id });
        }
      });

      it('lets an Update or a Cancel of one edition act on that edition alone', async () => {
        const [en, ru] = pair('KZ-20260402-0284801-00');
        await ingest(en);
        await ingest(ru);
        // Each language's Update references its own edition; the two Updates are editions too.
        const uen = followUp(en, 'Update', 'KZ-20260402-0284801-01', T0 + HOUR);
        const uru = followUp(ru, 'Update', 'KZ-20260402-0284801-01', T0 + HOUR);
        const r1 = await ingest(uen);
        expect([await stateOf(en), await stateOf(ru)]).to.deep.equal(['superseded', 'active']);
        expect(r1.record).to.deep.include({ threadId: en.id, editionOf: uen.id });
        const r2 = await ingest(uru);
        expect([await stateOf(en), await stateOf(ru)]).to.deep.equal(['superseded', 'superseded']);
        expect(r2.record).to.deep.include({ threadId: en.id, editionOf: uen.id, state: 'active' });
        // A Cancel of the English edition leaves the Russian one standing until its own Cancel.
        const cen = followUp(uen, 'Cancel', 'KZ-20260402-0284801-02', T0 + 2 * HOUR);
        const cru = followUp(uru, 'Cancel', 'KZ-20260402-0284801-02', T0 + 2 * HOUR);
        await ingest(cen);
        expect([await stateOf(uen), await stateOf(uru)]).to.deep.equal(['cancelled', 'active']);
        const read = await store.getAlert(uru.id);
        expect(read?.editions.map((e) => [e.language, e.state])).to.deep.equal([
          ['en', 'cancelled'],
          ['ru', 'active'],
        ]);
        await ingest(cru);
        expect([await stateOf(uen), await stateOf(uru)]).to.deep.equal(['cancelled', 'cancelled']);
        expect(idsOf(await store.threadOf(en.id))).to.deep.equal([
          en.id,
          ru.id,
          uen.id,
          uru.id,
          cen.id,
          cru.id,
        ]);
      });

      it('keeps the thread a parked reference gives, and still groups the editions', async () => {
        const [en, ru] = pair('KZ-20260402-0284802-00');
        // The English Update came first and waits for the English original.
        const update = await ingest(followUp(en, 'Update', 'KZ-20260402-0284802-01', T0 + HOUR));
        await ingest(ru);
        const ren = await ingest(en);
        expect(ren.record).to.deep.include({
          state: 'superseded',
          threadId: update.record.threadId,
          editionOf: ru.id,
        });
        expect(await stateOf(ru)).to.equal('active');
      });

      it('puts two editions stored at the same moment in one thread', async () => {
        const [en, ru] = pair('KZ-20260402-0284803-00');
        const [ren, rru] = await Promise.all([ingest(en), ingest(ru)]);
        expect(ren.record.threadId).to.equal(rru.record.threadId);
        expect(ren.record.editionOf).to.equal(rru.record.editionOf);
        const group = (await store.getAlert(en.id))?.editions.map((e) => e.id);
        expect(group).to.have.members([en.id, ru.id]);
      });

      it('counts an acknowledgement of one edition for the whole warning when escalating', async () => {
        const officer = { userId: 'usr_1', keyId: null, name: 'KZ duty officer' };
        const policy = { windowsMs: { Extreme: 5 * MINUTE }, maxLevel: 3 };
        const [en, ru] = pair('KZ-20260402-0284804-00', {
          severity: 'Extreme',
          addresses: ['kz-mes', 'UZ'],
        });
        await ingest(en);
        await ingest(ru);
        await store.acknowledge(en.id, 'kz-mes', officer, NOW + MINUTE);
        const due = await store.escalateDue(NOW + 5 * MINUTE, policy);
        expect(due.map((e) => [e.alertId, e.orgId])).to.deep.equal([
          [en.id, 'uz-mes'],
          [ru.id, 'uz-mes'],
        ]);
      });
    });

    describe('expiry', () => {
      it('marks only active alerts past their expiry as expired', async () => {
        const due = candidate({ expiresMs: T0 + HOUR });
        const exactlyDue = candidate({ expiresMs: T0 + 2 * HOUR });
        const later = candidate({ expiresMs: T0 + 3 * HOUR });
        const never = candidate({ expiresMs: null });
        const superseded = candidate({ expiresMs: T0 + HOUR });
        const update = candidate({
          msgType: 'Update',
          references: [superseded],
          sentMs: T0 + MINUTE,
          expiresMs: T0 + 3 * HOUR,
        });
        for (const c of [due, exactlyDue, later, never, superseded, update]) await ingest(c);
        const latest = await store.latestSeq();
        const changes = await store.expireDue(T0 + 2 * HOUR);
        expect(changes.map((s) => s.alertId)).to.have.members([due.id, exactlyDue.id]);
        expect(changes).to.have.length(2);
        for (const change of changes) {
          expect(change.seq).to.be.greaterThan(latest);
          expect(change).to.include({
            from: 'active',
            to: 'expired',
            cause: 'expiry',
            byAlertId: null,
            at: new Date(T0 + 2 * HOUR).toISOString(),
          });
          expect((await store.historyOf(change.alertId)).at(-1)).to.deep.equal(change);
        }
        expect(await stateOf(due)).to.equal('expired');
        expect(await stateOf(exactlyDue)).to.equal('expired');
        expect(await stateOf(later)).to.equal('active');
        expect(await stateOf(never)).to.equal('active');
        expect(await stateOf(superseded)).to.equal('superseded');
        expect((await store.eventsAfter(latest, 10)).map((e) => e.seq)).to.deep.equal(
          changes.map((s) => s.seq).sort((x, y) => x - y),
        );
      });

      it('is idempotent: a second run changes nothing', async () => {
        await ingest(candidate({ expiresMs: T0 + HOUR }));
        expect(await store.expireDue(T0 + 2 * HOUR)).to.have.length(1);
        const latest = await store.latestSeq();
        expect(await store.expireDue(T0 + 2 * HOUR)).to.deep.equal([]);
        expect(await store.expireDue(T0 + 5 * HOUR)).to.deep.equal([]);
        expect(await store.latestSeq()).to.equal(latest);
      });

      it('never expires an alert without expiry', async () => {
        const never = candidate({ expiresMs: null });
        const result = await ingest(never);
        expect(result.record.expiresAt).to.equal(null);
        expect(await store.expireDue(T0 + 1000 * DAY)).to.deep.equal([]);
        expect(await stateOf(never)).to.equal('active');
      });

      it('at start-up, gives a message without info stored with no expiry one a day after its sent', async () => {
        // What versions before the info-less expiry stored for a bare Cancel: no expiry at all.
        const bare = candidate({ msgType: 'Cancel', expiresMs: null });
        bare.alert.info = [];
        const withInfo = candidate({ expiresMs: null });
        await ingest(bare);
        await ingest(withInfo);
        expect((await store.getAlert(bare.id))?.expiresAt).to.equal(null);
        await store.init(contractOrganisations);
        await store.init(contractOrganisations);
        expect((await store.getAlert(bare.id))?.expiresAt).to.equal(
          new Date(T0 + DAY).toISOString(),
        );
        expect((await store.getAlert(withInfo.id))?.expiresAt).to.equal(null);
        expect(await store.expireDue(T0 + DAY - 1)).to.deep.equal([]);
        const changes = await store.expireDue(T0 + DAY);
        expect(changes.map((c) => c.alertId)).to.deep.equal([bare.id]);
        expect(await stateOf(withInfo)).to.equal('active');
      });

      it('stores an alert that arrives already expired as expired', async () => {
        const late = candidate({ expiresMs: NOW - 1 });
        const result = await ingest(late);
        expect(result.outcome).to.equal('created');
        expect(result.record.state).to.equal('expired');
        expect(await store.countActive()).to.equal(0);
        expect((await store.eventsAfter(0, 10)).map(eventState)).to.deep.equal(['expired']);
        expect((await store.historyOf(late.id)).map((h) => [h.from, h.to, h.cause])).to.deep.equal([
          [null, 'expired', 'ingest'],
        ]);
        expect(await store.expireDue(NOW + HOUR)).to.deep.equal([]);
      });
    });

    describe('listing alerts', () => {
      // kgPublic..uzPrivate are stored in this order, so newest first is the reverse.
      let kgPublic: AlertCandidate;
      let kzPublicQuake: AlertCandidate;
      let kzToKg: AlertCandidate;
      let kzToUz: AlertCandidate;
      let kzToCountryKg: AlertCandidate;
      let kgExercise: AlertCandidate;
      let uzPrivate: AlertCandidate;
      let all: AlertCandidate[];

      beforeEach(async () => {
        const kz = { sender: 'cap@emer.kz', orgId: 'kz-mes', countries: ['KZ'] };
        kgPublic = candidate({ event: 'Mudflow', receivedMs: T0 + MINUTE });
        kzPublicQuake = candidate({
          ...kz,
          event: 'Earthquake',
          severity: 'Moderate',
          countries: ['KZ', 'KG'],
          receivedMs: T0 + 2 * MINUTE,
        });
        kzToKg = candidate({
          ...kz,
          event: 'Flood',
          scope: 'Restricted',
          addresses: ['kg-mes'],
          receivedMs: T0 + 3 * MINUTE,
        });
        kzToUz = candidate({
          ...kz,
          event: 'Flood',
          scope: 'Restricted',
          addresses: ['uz-mes'],
          receivedMs: T0 + 4 * MINUTE,
        });
        kzToCountryKg = candidate({
          ...kz,
          event: 'Avalanche',
          scope: 'Private',
          addresses: ['KG'],
          receivedMs: T0 + 5 * MINUTE,
        });
        kgExercise = candidate({
          event: 'Mudflow',
          status: 'Exercise',
          severity: 'Minor',
          receivedMs: T0 + 6 * MINUTE,
        });
        uzPrivate = candidate({
          sender: 'cap@fvv.uz',
          orgId: 'uz-mes',
          countries: ['UZ'],
          event: 'Dust storm',
          scope: 'Private',
          receivedMs: T0 + 7 * MINUTE,
        });
        all = [kgPublic, kzPublicQuake, kzToKg, kzToUz, kzToCountryKg, kgExercise, uzPrivate];
        for (const c of all) await ingest(c, T0 + 8 * MINUTE);
      });

      function newestFirst(...alerts: AlertCandidate[]): string[] {
        return all
          .filter((c) => alerts.includes(c))
          .reverse()
          .map((c) => c.id);
      }

      it('lists newest first by sequence number', async () => {
        const listed = await list();
        expect(idsOf(listed)).to.deep.equal(newestFirst(...all));
        const seqs = listed.map((a) => a.seq);
        expect(seqs).to.deep.equal([...seqs].sort((x, y) => y - x));
      });

      it('filters by state', async () => {
        await ingest(
          candidate({ msgType: 'Cancel', references: [kgPublic], sentMs: T0 + HOUR }),
          T0 + 9 * MINUTE,
        );
        expect(idsOf(await list({ state: 'cancelled' }))).to.deep.equal([kgPublic.id]);
        expect(idsOf(await list({ state: 'active' }))).to.not.include(kgPublic.id);
        expect(await list({ state: 'expired' })).to.deep.equal([]);
      });

      it('filters by a country the alert concerns', async () => {
        expect(idsOf(await list({ country: 'KG' }))).to.deep.equal(
          newestFirst(kgPublic, kzPublicQuake, kgExercise),
        );
        expect(idsOf(await list({ country: 'UZ' }))).to.deep.equal([uzPrivate.id]);
        expect(await list({ country: 'TM' })).to.deep.equal([]);
      });

      it('filters by event, ignoring case', async () => {
        const mudflows = newestFirst(kgPublic, kgExercise);
        expect(idsOf(await list({ event: 'Mudflow' }))).to.deep.equal(mudflows);
        expect(idsOf(await list({ event: 'mudflow' }))).to.deep.equal(mudflows);
        expect(idsOf(await list({ event: 'DUST STORM' }))).to.deep.equal([uzPrivate.id]);
        expect(await list({ event: 'Mud' })).to.deep.equal([]);
      });

      it('filters by a non-ASCII event, ignoring case', async () => {
        const sel = candidate({ event: 'Сель' });
        await ingest(sel);
        expect(idsOf(await list({ event: 'СЕЛЬ' }))).to.deep.equal([sel.id]);
      });

      it('filters by severity', async () => {
        expect(idsOf(await list({ severity: 'Moderate' }))).to.deep.equal([kzPublicQuake.id]);
        expect(idsOf(await list({ severity: 'Minor' }))).to.deep.equal([kgExercise.id]);
      });

      it('filters by the time received, from sinceMs on (inclusive)', async () => {
        expect(idsOf(await list({ sinceMs: T0 + 6 * MINUTE }))).to.deep.equal(
          newestFirst(kgExercise, uzPrivate),
        );
        expect(await list({ sinceMs: T0 + 7 * MINUTE + 1 })).to.deep.equal([]);
      });

      it('leaves out Test, Exercise, System and Draft messages with actualOnly', async () => {
        await ingest(candidate({ status: 'Test' }));
        await ingest(candidate({ status: 'System' }));
        await ingest(candidate({ status: 'Draft' }));
        const actual = await list({ actualOnly: true });
        expect(idsOf(actual)).to.deep.equal(newestFirst(...all.filter((c) => c !== kgExercise)));
        expect(await list({ actualOnly: false })).to.have.length(all.length + 3);
      });

      it('combines filters', async () => {
        expect(
          idsOf(await list({ country: 'KG', event: 'mudflow', actualOnly: true })),
        ).to.deep.equal([kgPublic.id]);
      });

      it('shows the public only Public alerts with status Actual', async () => {
        expect(idsOf(await list({ visibleTo: publicViewer }))).to.deep.equal(
          newestFirst(kgPublic, kzPublicQuake),
        );
      });

      it("shows an organisation Public alerts, its own and those addressed to it, never others' restricted ones", async () => {
        expect(idsOf(await list({ visibleTo: orgViewer('kg-mes', 'KG') }))).to.deep.equal(
          newestFirst(kgPublic, kzPublicQuake, kzToKg, kzToCountryKg, kgExercise),
        );
        expect(idsOf(await list({ visibleTo: orgViewer('uz-mes', 'UZ') }))).to.deep.equal(
          newestFirst(kgPublic, kzPublicQuake, kzToUz, kgExercise, uzPrivate),
        );
        expect(idsOf(await list({ visibleTo: orgViewer('kz-mes', 'KZ') }))).to.deep.equal(
          newestFirst(kgPublic, kzPublicQuake, kzToKg, kzToUz, kzToCountryKg, kgExercise),
        );
      });

      it('shows the hub everything', async () => {
        expect(idsOf(await list({ visibleTo: hubViewer }))).to.deep.equal(newestFirst(...all));
      });

      it('stops at the limit', async () => {
        expect(idsOf(await list({ limit: 2 }))).to.deep.equal(newestFirst(kgExercise, uzPrivate));
        expect(idsOf(await list({ limit: 1, visibleTo: publicViewer }))).to.deep.equal([
          kzPublicQuake.id,
        ]);
      });

      it('pages with beforeSeq without duplicates or omissions, also when few are visible', async () => {
        // More alerts than one internal read, most of them invisible to kg-mes.
        const more = Array.from({ length: 150 }, (_, k) =>
          k % 3 === 0
            ? candidate()
            : candidate({
                sender: 'cap@emer.kz',
                orgId: 'kz-mes',
                scope: 'Restricted',
                addresses: ['uz-mes'],
              }),
        );
        for (const c of more) await ingest(c);
        for (const viewer of [hubViewer, orgViewer('kg-mes', 'KG'), publicViewer]) {
          const whole = await list({ visibleTo: viewer });
          const paged: AlertSummary[] = [];
          let beforeSeq: number | undefined;
          for (let pages = 0; pages < 200; pages += 1) {
            const page = await store.listAlerts({
              limit: 7,
              visibleTo: viewer,
              ...(beforeSeq === undefined ? {} : { beforeSeq }),
            });
            paged.push(...page);
            const last = page.at(-1);
            if (page.length < 7 || last === undefined) break;
            beforeSeq = last.seq;
          }
          expect(idsOf(paged)).to.deep.equal(idsOf(whole));
          expect(new Set(idsOf(paged)).size).to.equal(paged.length);
        }
        const kgSees = await list({ visibleTo: orgViewer('kg-mes', 'KG') });
        expect(kgSees).to.have.length(5 + 50);
      });
    });

    describe('counting', () => {
      it('counts only active alerts', async () => {
        const a = candidate();
        await ingest(a);
        await ingest(candidate());
        await ingest(candidate({ expiresMs: NOW - 1 }));
        expect(await store.countActive()).to.equal(2);
        await ingest(candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE }));
        expect(await store.countActive()).to.equal(2);
      });
    });

    describe('quarantine', () => {
      it("lists an organisation's rejected bodies newest first, page by page", async () => {
        const entries = [1, 2, 3, 4, 5].map((k) => quarantineEntry('kg-mes', k));
        for (const e of entries) await store.quarantine(e);
        const first = await store.listQuarantine('kg-mes', 2);
        expect(first.map((e) => e.id)).to.deep.equal([entries[4]?.id, entries[3]?.id]);
        const second = await store.listQuarantine('kg-mes', 2, first.at(-1)?.id);
        expect(second.map((e) => e.id)).to.deep.equal([entries[2]?.id, entries[1]?.id]);
        const third = await store.listQuarantine('kg-mes', 2, second.at(-1)?.id);
        expect(third.map((e) => e.id)).to.deep.equal([entries[0]?.id]);
        const stored = [...first, ...second, ...third].reverse();
        expect(stored.map((e) => ({ ...e, raw: bytes(e.raw) }))).to.deep.equal(
          entries.map((e) => ({ ...e, raw: bytes(e.raw) })),
        );
      });

      it("never shows another organisation's entries", async () => {
        await store.quarantine(quarantineEntry('kg-mes', 1));
        await store.quarantine(quarantineEntry('kz-mes', 2));
        expect((await store.listQuarantine('kg-mes', 10)).map((e) => e.orgId)).to.deep.equal([
          'kg-mes',
        ]);
        expect(await store.listQuarantine('uz-mes', 10)).to.deep.equal([]);
      });
    });

    describe('concurrency', () => {
      it('stores 200 concurrent ingests durably with distinct numbers, each duplicate once', async () => {
        const distinct = Array.from({ length: 150 }, (_, k) =>
          candidate({ identifier: `KG.CONCURRENT.${k}` }),
        );
        // 50 of them posted twice (another id, the same triple), interleaved.
        const copies = distinct
          .slice(0, 50)
          .map((c) => ({ ...candidate(), identifier: c.identifier, sent: c.sent, alert: c.alert }));
        const batch = [...distinct];
        copies.forEach((c, k) => batch.splice(3 * k + 1, 0, c));
        const results = await Promise.all(batch.map((c) => ingest(c)));
        const created = results.filter((r) => r.outcome === 'created');
        const duplicates = results.filter((r) => r.outcome === 'duplicate');
        expect(created).to.have.length(150);
        expect(duplicates).to.have.length(50);
        const seqs = created.map((r) => r.record.seq);
        expect(new Set(seqs).size).to.equal(150);
        const byIdentifier = new Map(created.map((r) => [r.record.identifier, r.record.id]));
        expect(byIdentifier.size).to.equal(150);
        for (const d of duplicates)
          expect(d.record.id).to.equal(byIdentifier.get(d.record.identifier));
        const listed = await list({ limit: 500 });
        expect(listed).to.have.length(150);
        expect(await store.eventsAfter(0, 500)).to.have.length(150);
        expect(await store.latestSeq()).to.equal(Math.max(...seqs));
        expect(await store.countActive()).to.equal(150);
      });
    });

    describe('console events', () => {
      it('addresses a Public alert to all and a Restricted one to the hub, its issuer and addressees', async () => {
        const open = await ingest(candidate());
        const restricted = await ingest(
          candidate({ scope: 'Restricted', addresses: ['KZ'], orgId: 'kg-mes' }),
        );
        const events = await store.eventsAfter(0, 10);
        expect(events.map((e) => [e.seq, e.audience])).to.deep.equal([
          [open.record.seq, 'all'],
          [restricted.record.seq, ['hub', 'kz-mes', 'kg-mes']],
        ]);
        expect(events[0]?.data).to.have.property('kind', 'stored');
        expect(events[0]?.data).to.have.nested.property('alert.id', open.record.id);
      });

      it('puts Test and Exercise on the exercise channel and System or Draft on none', async () => {
        for (const status of ['Actual', 'Exercise', 'Test', 'System', 'Draft'])
          await ingest(candidate({ status }));
        expect((await store.eventsAfter(0, 10)).map((e) => e.channel)).to.deep.equal([
          'actual',
          'exercise',
          'exercise',
          'none',
          'none',
        ]);
      });

      it('tells subscribers about durable writes, in order, and stops after unsubscribing', async () => {
        const heard: number[] = [];
        const stop = store.subscribe((events) => {
          for (const e of events) heard.push(e.seq);
        });
        const a = candidate();
        await ingest(a);
        await ingest(candidate({ msgType: 'Update', references: [a], sentMs: T0 + MINUTE }));
        stop();
        await ingest(candidate());
        const all = await store.eventsAfter(0, 10);
        expect(heard).to.deep.equal(all.slice(0, 3).map((e) => e.seq));
      });
    });

    describe('people and sessions', () => {
      const user = {
        id: 'usr_contract_1',
        orgId: 'kz-mes',
        name: 'Айгерим Officer',
        role: 'officer' as const,
        passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
        createdAt: new Date(NOW).toISOString(),
        disabledAt: null,
      };

      it('stores a person and finds them by name, ignoring case in any script', async () => {
        await store.insertUser(user);
        expect(await store.findUserByName('айгерим officer')).to.deep.equal(user);
        expect(await store.getUser(user.id)).to.deep.equal(user);
        expect(await store.findUserByName('nobody')).to.equal(undefined);
      });

      it('refuses a second person with the same name, with USER_EXISTS', async () => {
        await store.insertUser(user);
        const again = await store
          .insertUser({ ...user, id: 'usr_contract_2', name: 'АЙГЕРИМ OFFICER' })
          .catch((e: unknown) => e);
        expect(again).to.have.property('code', 'USER_EXISTS');
      });

      it('keeps sessions by hash and revokes them once', async () => {
        await store.insertUser(user);
        const session = {
          hash: 'a'.repeat(64),
          userId: user.id,
          createdAt: new Date(NOW).toISOString(),
          expiresAt: new Date(NOW + HOUR).toISOString(),
          revokedAt: null,
        };
        await store.insertSession(session);
        expect(await store.findSessionByHash(session.hash)).to.deep.equal(session);
        const at = new Date(NOW + MINUTE).toISOString();
        expect(await store.revokeSession(session.hash, at)).to.equal(true);
        expect(await store.revokeSession(session.hash, at)).to.equal(false);
        expect(await store.findSessionByHash(session.hash)).to.deep.equal({
          ...session,
          revokedAt: at,
        });
        expect(await store.findSessionByHash('b'.repeat(64))).to.equal(undefined);
      });
    });

    describe('acknowledgements and escalation', () => {
      const officer = { userId: 'usr_1', keyId: null, name: 'KZ duty officer' };
      const policy = { windowsMs: { Extreme: 5 * MINUTE, Severe: 15 * MINUTE }, maxLevel: 3 };

      it('records one acknowledgement per organisation, with its event to hub, issuer and acknowledger', async () => {
        const a = await ingest(candidate({ addresses: ['kz-mes'] }));
        const first = await store.acknowledge(a.record.id, 'kz-mes', officer, NOW + MINUTE);
        expect(first?.outcome).to.equal('created');
        const again = await store.acknowledge(a.record.id, 'kz-mes', officer, NOW + 2 * MINUTE);
        expect(again).to.deep.equal({ outcome: 'existing', ack: first?.ack });
        expect(await store.listAcks(a.record.id)).to.deep.equal([first?.ack]);
        const events = await store.eventsAfter(a.record.seq, 10);
        expect(events.map((e) => [e.type, e.seq, e.audience])).to.deep.equal([
          ['ack', first?.ack.seq, ['hub', 'kg-mes', 'kz-mes']],
        ]);
        expect(await store.acknowledge('al_unknown', 'kz-mes', officer, NOW)).to.equal(undefined);
      });

      it('escalates an unacknowledged Extreme alert to its addressees after its window, once per level', async () => {
        const a = await ingest(
          candidate({ severity: 'Extreme', addresses: ['kz-mes', 'UZ'], orgId: 'kg-mes' }),
        );
        expect(await store.escalateDue(NOW + 4 * MINUTE, policy)).to.deep.equal([]);
        const due = await store.escalateDue(NOW + 5 * MINUTE, policy);
        expect(due.map((e) => [e.alertId, e.orgId, e.level])).to.deep.equal([
          [a.record.id, 'kz-mes', 1],
          [a.record.id, 'uz-mes', 1],
        ]);
        expect(await store.escalateDue(NOW + 6 * MINUTE, policy)).to.deep.equal([]);
        await store.acknowledge(a.record.id, 'kz-mes', officer, NOW + 7 * MINUTE);
        const second = await store.escalateDue(NOW + 10 * MINUTE, policy);
        expect(second.map((e) => [e.orgId, e.level])).to.deep.equal([['uz-mes', 2]]);
        expect(
          (await store.listEscalations(a.record.id)).map((e) => [e.orgId, e.level]),
        ).to.deep.equal([
          ['kz-mes', 1],
          ['uz-mes', 1],
          ['uz-mes', 2],
        ]);
        const events = await store.eventsAfter(a.record.seq, 10);
        const escalations = events.filter((e) => e.type === 'escalation');
        expect(escalations.map((e) => e.audience)).to.deep.equal([
          ['hub', 'kz-mes'],
          ['hub', 'uz-mes'],
          ['hub', 'uz-mes'],
        ]);
        expect(escalations[0]?.data).to.deep.include({
          kind: 'escalation',
          escalation: { orgId: 'kz-mes', level: 1 },
        });
      });

      it('goes straight to the level due after a gap, stops at the top level, and goes on when the top is raised', async () => {
        const a = await ingest(candidate({ severity: 'Severe', addresses: ['kz-mes'] }));
        // 40 minutes without a run (the hub was down): level 2 at once, not 1 then 2.
        const late = await store.escalateDue(NOW + 40 * MINUTE, policy);
        expect(late.map((e) => [e.alertId, e.orgId, e.level])).to.deep.equal([
          [a.record.id, 'kz-mes', 2],
        ]);
        expect(await store.escalateDue(NOW + 44 * MINUTE, policy)).to.deep.equal([]);
        const top = await store.escalateDue(NOW + 45 * MINUTE, policy);
        expect(top.map((e) => e.level)).to.deep.equal([3]);
        expect(await store.escalateDue(NOW + DAY, policy)).to.deep.equal([]);
        const higher = await store.escalateDue(NOW + DAY, { ...policy, maxLevel: 4 });
        expect(higher.map((e) => [e.orgId, e.level])).to.deep.equal([['kz-mes', 4]]);
        expect(await store.escalateDue(NOW + DAY, { ...policy, maxLevel: 4 })).to.deep.equal([]);
      });

      it('never escalates Moderate, Exercise, cancelled or self-addressed alerts', async () => {
        await ingest(candidate({ severity: 'Moderate', addresses: ['kz-mes'] }));
        await ingest(candidate({ severity: 'Extreme', addresses: ['kz-mes'], status: 'Exercise' }));
        await ingest(candidate({ severity: 'Extreme', addresses: ['kg-mes'], orgId: 'kg-mes' }));
        const cancelled = candidate({ severity: 'Extreme', addresses: ['kz-mes'] });
        await ingest(cancelled);
        await ingest(
          candidate({ msgType: 'Cancel', references: [cancelled], sentMs: T0 + MINUTE }),
        );
        expect(await store.escalateDue(NOW + DAY, policy)).to.deep.equal([]);
      });
    });
  });
}
