import { expect } from 'chai';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureText, googleCorpusDir } from '../../helpers/fixtures.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { capXml, startTestHub, type TestHub } from '../../helpers/hub.ts';

const CAP = 'application/cap+xml';

describe('POST /api/v1/alerts', () => {
  let t: TestHub;
  let kg: string;
  before(async () => {
    t = await startTestHub({ env: { HUB_MAX_XML_BYTES: '20000' } });
    kg = await t.key('kg-mes', ['cap:submit', 'alerts:read']);
  });
  after(() => t.destroy());

  const post = (body: string | Buffer, key: string | null = kg, type = CAP) => {
    const r = request(t.hub.app).post('/api/v1/alerts').set('content-type', type);
    if (key !== null) r.set('authorization', `Bearer ${key}`);
    return r.send(body);
  };

  it('stores a new alert: 201 with id, seq, state and warnings', async () => {
    const res = await post(capXml());
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ state: 'active', duplicate: false });
    expect(res.body.id).to.match(/^al_/);
    expect(res.body.seq).to.be.a('number');
    expect(res.body.warnings).to.deep.equal([]);
    expect(res.headers.location).to.equal(`/api/v1/alerts/${res.body.id as string}`);
  });

  it('answers a duplicate (same sender, identifier, sent) with 200 and the same id', async () => {
    const xml = capXml();
    const first = await post(xml);
    const again = await post(xml.replace('<note>', '<note>re-sent: '));
    expect(again.status).to.equal(200);
    expect(again.body).to.include({
      id: first.body.id as string,
      duplicate: true,
      seq: first.body.seq as number,
    });
  });

  it('warns when a duplicate says something else than the alert stored under its triple', async () => {
    const xml = capXml();
    const first = await post(xml);
    const same = await post(xml.replace('</alert>', '\n\n</alert>'));
    expect(same.status).to.equal(200);
    expect(same.body.warnings).to.deep.equal([]);
    const changed = await post(
      xml.replace('<severity>Severe</severity>', '<severity>Extreme</severity>'),
    );
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({ id: first.body.id as string, duplicate: true });
    expect(changed.body.warnings).to.have.length(1);
    expect(changed.body.warnings[0]).to.include({
      code: 'LIFECYCLE_DUPLICATE_DIFFERS',
      level: 'warning',
      path: '/alert[1]/identifier[1]',
    });
    expect(changed.body.warnings[0].message).to.contain(first.body.id as string);
    // The stored alert is the first one, unchanged.
    const stored = await request(t.hub.app)
      .get(`/api/v1/alerts/${first.body.id as string}`)
      .set('authorization', `Bearer ${kg}`);
    expect(stored.body.severity).to.equal('Severe');
  });

  it('returns warnings with a 201', async () => {
    const res = await post(capXml((a) => (a.status = 'Exercise')));
    expect(res.status).to.equal(201);
    expect(res.body.warnings.map((w: { code: string }) => w.code)).to.include('CAP_NOT_ACTUAL');
  });

  it('stores an alert whose points seem written longitude first, warns the poster and keeps the warning', async () => {
    // Kyrgyzstan's Alamedin district written lon,lat: valid CAP, but in the Barents Sea.
    const res = await post(
      capXml((a) => {
        for (const info of a.info)
          for (const area of info.area) {
            area.circle = [];
            area.polygon = ['74.60,42.60 74.80,42.60 74.80,42.80 74.60,42.80 74.60,42.60'];
          }
      }),
    );
    expect(res.status).to.equal(201);
    const warned = (res.body.warnings as { code: string; path: string }[]).filter(
      (w) => w.code === 'ROUTING_POINTS_EXCHANGED',
    );
    expect(warned.map((w) => w.path)).to.deep.equal(['/alert[1]/info[1]/area[1]']);
    // What the console's detail shows.
    const stored = await request(t.hub.app)
      .get(`/api/v1/alerts/${res.body.id as string}`)
      .set('authorization', `Bearer ${kg}`);
    expect(stored.body.warnings.map((w: { code: string }) => w.code)).to.include(
      'ROUTING_POINTS_EXCHANGED',
    );
    // The codes a console marks its row by, in the detail and the list; none on other alerts.
    expect(stored.body.areaWarnings).to.deep.equal(['ROUTING_POINTS_EXCHANGED']);
    const plain = await post(capXml());
    const list = await request(t.hub.app)
      .get('/api/v1/alerts?limit=500')
      .set('authorization', `Bearer ${kg}`);
    const item = (id: string) =>
      (list.body.items as { id: string; areaWarnings?: string[] }[]).find((i) => i.id === id);
    expect(item(res.body.id as string)?.areaWarnings).to.deep.equal(['ROUTING_POINTS_EXCHANGED']);
    expect(item(plain.body.id as string)).to.not.have.property('areaWarnings');
  });

  it('refuses a request without a key (401) and with an unknown key (401)', async () => {
    const none = await post(capXml(), null);
    expect(none.status).to.equal(401);
    expect(none.body.error.code).to.equal('AUTH_REQUIRED');
    const wrong = await post(capXml(), 'ewx_not-a-key');
    expect(wrong.status).to.equal(401);
    expect(wrong.body.error.code).to.equal('AUTH_INVALID');
  });

  it('refuses a key without cap:submit (403)', async () => {
    const reader = await t.key('kg-mes', ['alerts:read']);
    const res = await post(capXml(), reader);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('FORBIDDEN');
  });

  it('refuses a key that may not post for the CAP sender (403) and quarantines the body', async () => {
    const scoped = await t.key('uz-mes', ['cap:submit', 'quarantine:read'], ['cap@fvv.uz']);
    const res = await post(capXml(), scoped);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('SENDER_FORBIDDEN');
    const q = await request(t.hub.app)
      .get('/api/v1/quarantine')
      .set('authorization', `Bearer ${scoped}`);
    expect(q.body.items[0]).to.include({ code: 'SENDER_FORBIDDEN', orgId: 'uz-mes' });
  });

  it('refuses a body over the size limit (413)', async () => {
    const res = await post(capXml((a) => (a.note = 'x'.repeat(30000))));
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('XML_TOO_LARGE');
  });

  it('refuses a body that is not XML by its content type (415)', async () => {
    const res = await post('{"alert": 1}', kg, 'application/json');
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/xml too', async () => {
    expect((await post(capXml(), kg, 'application/xml; charset=utf-8')).status).to.equal(201);
  });

  it('refuses invalid CAP with 422 and every reason', async () => {
    const res = await post(readFileSync(join(googleCorpusDir, 'testdata/invalid.cap')));
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('CAP_INVALID');
    expect(res.body.error.details.reasons).to.deep.include({
      code: 'CAP_MISSING_REQUIRED_ELEMENT',
      level: 'error',
      path: '/alert[1]',
      message: '<alert> is missing the required <scope>',
    });
  });

  it('refuses a DTD with 400 XML_DTD_FORBIDDEN and XML that is not CAP with 422 CAP_NOT_CAP', async () => {
    const dtd = await post(readFileSync(join(googleCorpusDir, 'testdata/xee.cap')));
    expect([dtd.status, dtd.body.error.code]).to.deep.equal([400, 'XML_DTD_FORBIDDEN']);
    const other = await post('<foo/>');
    expect([other.status, other.body.error.code]).to.deep.equal([422, 'CAP_NOT_CAP']);
    const broken = await post('<alert><identifier>');
    expect([broken.status, broken.body.error.code]).to.deep.equal([400, 'XML_SYNTAX']);
    // A feed or an EDXL-DE distribution posted as an alert: said what it is.
    const feed = await post(`<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id></feed>`);
    expect([feed.status, feed.body.error.code]).to.deep.equal([422, 'CAP_NOT_CAP']);
    expect(feed.body.error.message).to.contain('is an Atom feed, not a CAP alert');
    // …and what to do instead.
    expect(feed.body.error.message).to.contain('send each alert it holds on its own');
    expect(feed.body.error.message).to.contain('ewx feeds add');
    const edxl = await post('<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0"/>');
    expect(edxl.body.error.message).to.contain('is an EDXL-DE distribution, not a CAP alert');
  });

  it('keeps every rejected body in the quarantine of its own organisation only', async () => {
    const tj = await t.key('tj-coes', ['cap:submit']);
    await post('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', tj);
    const own = await request(t.hub.app)
      .get('/api/v1/quarantine')
      .set('authorization', `Bearer ${tj}`);
    expect(own.status).to.equal(200);
    expect(own.body.items).to.have.length(1);
    expect(own.body.items[0]).to.include({ orgId: 'tj-coes', code: 'CAP_INVALID' });
    expect(own.body.items[0].body).to.contain('<alert');
    const kgView = await request(t.hub.app)
      .get('/api/v1/quarantine')
      .set('authorization', `Bearer ${kg}`);
    expect(kgView.body.items.every((i: { orgId: string }) => i.orgId === 'kg-mes')).to.equal(true);
    expect(kgView.body.items.map((i: { code: string }) => i.code)).to.include.members([
      'CAP_INVALID',
      'XML_DTD_FORBIDDEN',
      'XML_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });

  it('counts ingests by outcome in /metrics', async () => {
    const metrics = await request(t.hub.app).get('/metrics');
    expect(metrics.text).to.match(/ewx_ingests_total\{outcome="created"\} \d+/);
    expect(metrics.text).to.match(/ewx_ingests_total\{outcome="CAP_INVALID"\} \d+/);
    expect(metrics.text).to.contain('ewx_ingest_duration_seconds_bucket');
    expect(metrics.text).to.match(/ewx_alerts_active \d+/);
  });
});

describe('alert lifecycle over HTTP', () => {
  let t: TestHub;
  let kg: string;
  let kz: string;
  before(async () => {
    t = await startTestHub();
    kg = await t.key('kg-mes', ['cap:submit', 'alerts:read']);
    kz = await t.key('kz-mes', ['cap:submit', 'alerts:read']);
  });
  after(() => t.destroy());

  const post = (xml: string, key = kg) =>
    request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${key}`)
      .set('content-type', CAP)
      .send(xml);
  const get = (id: string, key = kg) =>
    request(t.hub.app).get(`/api/v1/alerts/${id}`).set('authorization', `Bearer ${key}`);
  const triple = (xml: string): string => {
    const v = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? '';
    return `${v('sender')},${v('identifier')},${v('sent')}`;
  };
  /** An Update or Cancel of `originalXml` (same sender, sent later), with `change` on top. */
  const followUp = (
    msgType: 'Update' | 'Cancel',
    originalXml: string,
    change: Partial<CapAlert> = {},
  ): string =>
    capXml((a) =>
      Object.assign(a, {
        msgType,
        sent: '2026-04-02T07:00:00+06:00',
        references: triple(originalXml),
        ...change,
      }),
    );

  it('an Update supersedes the alert it references, in one thread', async () => {
    const originalXml = capXml();
    const original = await post(originalXml);
    const update = await post(followUp('Update', originalXml));
    expect(update.status).to.equal(201);
    const before = await get(original.body.id as string);
    expect(before.body.state).to.equal('superseded');
    expect(before.body.threadId).to.equal((await get(update.body.id as string)).body.threadId);
    expect(before.body.thread.map((a: { id: string }) => a.id)).to.deep.equal([
      original.body.id,
      update.body.id,
    ]);
    expect(
      before.body.history.map((h: { cause: string; to: string }) => `${h.cause}:${h.to}`),
    ).to.deep.equal(['ingest:active', 'update:superseded']);
  });

  it('a Cancel cancels the alert it references', async () => {
    const originalXml = capXml();
    const original = await post(originalXml);
    await post(followUp('Cancel', originalXml));
    expect((await get(original.body.id as string)).body.state).to.equal('cancelled');
  });

  it('a Cancel without <info> (as IPAWS sends them) stays active for a day after its sent, then expires', async () => {
    const originalXml = capXml();
    const original = await post(originalXml);
    const cancel = await post(followUp('Cancel', originalXml, { info: [] }));
    expect(cancel.status).to.equal(201);
    expect(cancel.body.state).to.equal('active');
    expect((await get(original.body.id as string)).body.state).to.equal('cancelled');
    const id = cancel.body.id as string;
    expect((await get(id)).body.expiresAt).to.equal('2026-04-03T01:00:00.000Z');
    const now = t.clock.now;
    try {
      t.clock.now = Date.UTC(2026, 3, 3, 1, 1);
      await t.hub.jobs.expireNow();
      expect((await get(id)).body.state).to.equal('expired');
    } finally {
      t.clock.now = now;
    }
  });

  it('stores an alert that names only itself in <references>, ignoring that reference, and warns', async () => {
    // As Tanzania's TMA publishes its Alerts and Macao's SMG its Updates.
    const selfNamed = (msgType: 'Alert' | 'Update', sent = '2026-04-02T06:30:00+06:00') =>
      capXml((a) => {
        a.msgType = msgType;
        a.sent = sent;
        a.references = `${a.sender},${a.identifier},${a.sent}`;
      });
    for (const msgType of ['Alert', 'Update'] as const) {
      const res = await post(selfNamed(msgType));
      expect(res.status).to.equal(201);
      expect(res.body.state).to.equal('active');
      const warned = (res.body.warnings as { code: string; path: string }[]).filter((w) =>
        w.code.startsWith('LIFECYCLE_'),
      );
      expect(warned.map((w) => [w.code, w.path])).to.deep.equal([
        ['LIFECYCLE_SELF_REFERENCE', '/alert[1]/references[1]'],
      ]);
      const stored = await get(res.body.id as string);
      expect(stored.body.references).to.deep.equal([]);
    }
    // The same instant written with another offset is still the alert itself.
    const otherOffset = capXml((a) => {
      a.sent = '2026-04-02T06:30:00+06:00';
      a.references = `${a.sender},${a.identifier},2026-04-02T00:30:00-00:00`;
    });
    expect((await post(otherOffset)).status).to.equal(201);
    // A reference to another message of the same identifier, or any other error, still refuses.
    const earlier = capXml((a) => {
      a.sent = '2026-04-02T06:30:00+06:00';
      a.references = `${a.sender},${a.identifier},2026-04-01T06:30:00+06:00`;
    });
    const refused = await post(earlier);
    expect(refused.status).to.equal(422);
    expect(
      (refused.body.error.details.reasons as { code: string }[]).map((r) => r.code),
    ).to.include('CAP_CIRCULAR_REFERENCE');
    const alsoBroken = selfNamed('Alert').replace(
      '<urgency>Immediate</urgency>',
      '<urgency>Soon</urgency>',
    );
    expect((await post(alsoBroken)).status).to.equal(422);
  });

  it('stores an alert whose only error is elements out of the schema order, read whole, and warns', async () => {
    // As Italy's and Serbia's met services write their areas: a shape after what follows it.
    const ordered = capXml();
    const circle = /<circle>[^<]*<\/circle>\s*/.exec(ordered)?.[0] ?? '';
    expect(circle).to.not.equal('');
    const shuffled = ordered.replace(circle, '').replace('<polygon>', `${circle}<polygon>`);
    const res = await post(shuffled);
    expect(res.status).to.equal(201);
    const warned = (res.body.warnings as { code: string; path: string; message: string }[]).filter(
      (w) => w.code === 'INGEST_ELEMENTS_OUT_OF_ORDER',
    );
    expect(warned.map((w) => w.path)).to.deep.equal(['/alert[1]/info[1]/area[1]/polygon[1]']);
    expect(warned[0]?.message).to.match(/^<polygon> must come before <circle> in <area>/);
    const stored = await get(res.body.id as string);
    const area = stored.body.alert.info[0].area[0] as { polygon: string[]; circle: string[] };
    expect([area.polygon.length, area.circle.length]).to.deep.equal([1, 1]);
    // Out of order and otherwise broken: refused, with every reason.
    const broken = await post(
      shuffled.replace('<urgency>Immediate</urgency>', '<urgency>Soon</urgency>'),
    );
    expect(broken.status).to.equal(422);
    expect(
      (broken.body.error.details.reasons as { code: string }[]).map((r) => r.code),
    ).to.include.members(['CAP_INVALID_SEQUENCE', 'CAP_INVALID_ENUM_VALUE']);
  });

  it('stores an alert expired on arrival as expired and tells the sender, so a wrong offset is noticed', async () => {
    // The hub's clock: 2026-04-02T01:00Z. Expired at 14:00Z the day before: 11 hours ago.
    const late = await post(
      capXml((a) => {
        a.sent = '2026-04-01T12:00:00+06:00';
        for (const info of a.info) {
          info.effective = '2026-04-01T12:00:00+06:00';
          delete info.onset;
          info.expires = '2026-04-01T20:00:00+06:00';
        }
      }),
    );
    expect([late.status, late.body.state]).to.deep.equal([201, 'expired']);
    const warned = (late.body.warnings as { code: string; path: string; message: string }[]).filter(
      (w) => w.code === 'LIFECYCLE_EXPIRED_ON_ARRIVAL',
    );
    expect(warned.map((w) => w.path)).to.deep.equal(['/alert[1]/info[1]/expires[1]']);
    expect(warned[0]?.message).to.contain('the latest, 2026-04-01T20:00:00+06:00, 11 h 0 min ago');
    // A current alert says nothing of it.
    const current = await post(capXml());
    expect(current.body.warnings.map((w: { code: string }) => w.code)).to.not.include(
      'LIFECYCLE_EXPIRED_ON_ARRIVAL',
    );
  });

  it('a Cancel from a foreign sender leaves the alert active and says why', async () => {
    const originalXml = capXml();
    const original = await post(originalXml);
    const cancel = await post(followUp('Cancel', originalXml, { sender: 'cap@emer.gov.kz' }), kz);
    expect(cancel.status).to.equal(201);
    expect(cancel.body.warnings.map((w: { code: string }) => w.code)).to.include(
      'LIFECYCLE_FOREIGN_SENDER',
    );
    expect((await get(original.body.id as string)).body.state).to.equal('active');
  });

  it("joins NWS's real Update, come first, to its warning's thread; the warning, long expired, stays expired", async () => {
    // The National Weather Service's tornado warning and its Update, as published (2020).
    const warning = fixtureText('cap/wild-us/NWS-IPAWS-tornado-warning-en-es.cap');
    const update = fixtureText('cap/wild-us/NWS-IPAWS-tornado-emergency-update-en-es.cap');
    const thread = async (id: string) => (await get(id)).body.threadId as string;
    const first = await post(update);
    expect(first.status).to.equal(201);
    expect(first.body.state).to.equal('expired');
    const parked = (first.body.warnings as { code: string; message: string }[]).filter(
      (w) => w.code === 'LIFECYCLE_REFERENCE_PARKED',
    );
    expect(parked.map((w) => w.message)).to.deep.equal([
      `${triple(warning)} is not known to the hub yet: the update is kept and applies when that alert arrives`,
    ]);
    const original = await post(warning);
    // Past its expiry on arrival: expired, as it would be had it come first.
    expect([original.status, original.body.state]).to.deep.equal([201, 'expired']);
    expect(await thread(original.body.id as string)).to.equal(
      await thread(first.body.id as string),
    );
  });

  it('an Update that arrives before its original supersedes the original when it comes', async () => {
    const originalXml = capXml();
    const update = await post(followUp('Update', originalXml));
    expect(update.status).to.equal(201);
    // Told that it has not updated anything yet.
    expect(
      (update.body.warnings as { code: string; message: string }[]).filter(
        (w) => w.code === 'LIFECYCLE_REFERENCE_PARKED',
      ),
    ).to.have.length(1);
    const original = await post(originalXml);
    expect(original.status).to.equal(201);
    expect(original.body.state).to.equal('superseded');
    const detail = await get(original.body.id as string);
    expect(detail.body.threadId).to.equal((await get(update.body.id as string)).body.threadId);
    expect(detail.body.history[0]).to.include({
      cause: 'update',
      to: 'superseded',
      byAlertId: update.body.id as string,
    });
  });
});

describe('reading alerts', () => {
  let t: TestHub;
  let kg: string;
  let kz: string;
  let ids: string[] = [];
  let restrictedId = '';
  before(async () => {
    t = await startTestHub();
    kg = await t.key('kg-mes', ['cap:submit', 'alerts:read']);
    kz = await t.key('kz-mes', ['alerts:read']);
    ids = [];
    for (const severity of ['Severe', 'Minor', 'Severe']) {
      const res = await request(t.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${kg}`)
        .set('content-type', CAP)
        .send(capXml((a) => ((a.info[0] ?? { severity: '' }).severity = severity)));
      ids.push(res.body.id as string);
    }
    const restricted = await request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${kg}`)
      .set('content-type', CAP)
      .send(
        capXml((a) =>
          Object.assign(a, { scope: 'Restricted', restriction: 'duty officers of KG only' }),
        ),
      );
    restrictedId = restricted.body.id as string;
  });
  after(() => t.destroy());

  const list = (query: string, key = kg) =>
    request(t.hub.app).get(`/api/v1/alerts${query}`).set('authorization', `Bearer ${key}`);

  it('needs a key with alerts:read', async () => {
    expect((await request(t.hub.app).get('/api/v1/alerts')).status).to.equal(401);
  });

  it('lists newest first and filters by severity, state and country', async () => {
    const all = await list('');
    expect(all.body.items.map((a: { id: string }) => a.id)).to.deep.equal([
      restrictedId,
      ...[...ids].reverse(),
    ]);
    const severe = await list('?severity=Severe&state=active&country=kg');
    expect(severe.body.items.map((a: { id: string }) => a.id)).to.deep.equal([
      restrictedId,
      ids[2],
      ids[0],
    ]);
    expect(
      (await list('?severity=Minor')).body.items.map((a: { id: string }) => a.id),
    ).to.deep.equal([ids[1]]);
    // The Alamedin valley is within the mudflow buffer of the KZ border: KZ is concerned.
    expect((await list('?country=KZ')).body.items).to.have.length(4);
    expect((await list('?country=UZ')).body.items).to.deep.equal([]);
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const first = await list('?limit=2');
    expect(first.body.items).to.have.length(2);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor as string}`);
    const seen = [...first.body.items, ...second.body.items].map((a: { id: string }) => a.id);
    expect(seen).to.deep.equal([restrictedId, ...[...ids].reverse()]);
    expect(second.body.nextCursor).to.equal(String(second.body.items[1].seq));
    expect(
      (await list(`?limit=2&cursor=${second.body.nextCursor as string}`)).body.items,
    ).to.deep.equal([]);
  });

  it('refuses invalid filters with 400 QUERY_INVALID', async () => {
    for (const q of ['?state=burning', '?limit=0', '?since=yesterday', '?country=KAZ', '?frob=1']) {
      const res = await list(q);
      expect([res.status, res.body.error.code], q).to.deep.equal([400, 'QUERY_INVALID']);
    }
  });

  it("hides another country's Restricted alert, in lists and by id", async () => {
    expect((await list('', kz)).body.items.map((a: { id: string }) => a.id)).to.not.include(
      restrictedId,
    );
    expect(
      (
        await request(t.hub.app)
          .get(`/api/v1/alerts/${restrictedId}`)
          .set('authorization', `Bearer ${kz}`)
      ).status,
    ).to.equal(404);
    expect(
      (
        await request(t.hub.app)
          .get(`/api/v1/alerts/${restrictedId}`)
          .set('authorization', `Bearer ${kg}`)
      ).status,
    ).to.equal(200);
  });

  it('returns the exact bytes received as application/cap+xml', async () => {
    const xml = capXml().replace('<note>', '<!-- kept as sent --><note>');
    const posted = await request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${kg}`)
      .set('content-type', CAP)
      .send(xml);
    const res = await request(t.hub.app)
      .get(`/api/v1/alerts/${posted.body.id as string}/cap`)
      .set('authorization', `Bearer ${kg}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/cap\+xml/);
    expect((res.body as Buffer).toString('utf8')).to.equal(xml);
  });

  it('answers 404 for an unknown id', async () => {
    expect(
      (await request(t.hub.app).get('/api/v1/alerts/al_nope').set('authorization', `Bearer ${kg}`))
        .status,
    ).to.equal(404);
  });

  it('never dates the Atom feed in the future, even by an alert sent by a clock running ahead', async () => {
    const ahead = new Date(Date.now() + 3 * 24 * 3600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, '-00:00');
    const res = await request(t.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${kg}`)
      .set('content-type', CAP)
      .send(
        capXml((a) => {
          a.sent = ahead;
          for (const info of a.info) {
            delete info.effective;
            delete info.onset;
            info.expires = new Date(Date.now() + 5 * 24 * 3600_000)
              .toISOString()
              .replace(/\.\d{3}Z$/, '-00:00');
          }
        }),
      );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const atom = await request(t.hub.app).get('/feeds/alerts.atom');
    const updated = /<feed[\s\S]*?<updated>([^<]+)<\/updated>/.exec(atom.text)?.[1] ?? '';
    expect(Date.parse(updated)).to.be.at.most(Date.now());
    expect(atom.text).to.contain(`<updated>${ahead}</updated>`);
  });

  it('publishes Public active alerts in the Atom feeds and GeoJSON without a key', async () => {
    const atom = await request(t.hub.app).get('/feeds/alerts.atom');
    expect(atom.status).to.equal(200);
    expect(atom.headers['content-type']).to.match(/^application\/atom\+xml/);
    for (const id of ids) expect(atom.text).to.contain(`/api/v1/alerts/${id}/cap`);
    expect(atom.text).to.not.contain(restrictedId);
    expect((await request(t.hub.app).get('/feeds/kg.atom')).text).to.contain(ids[0]);
    expect((await request(t.hub.app).get('/feeds/kz.atom')).text).to.contain(ids[0]);
    expect((await request(t.hub.app).get('/feeds/uz.atom')).text).to.not.contain('<entry>');
    expect((await request(t.hub.app).get('/feeds/xx.atom')).status).to.equal(404);
    const geo = await request(t.hub.app).get('/alerts.geojson');
    const features = (JSON.parse(geo.text) as { features: { properties: { alertId: string } }[] })
      .features;
    const shown = new Set(features.map((f) => f.properties.alertId));
    for (const id of ids) expect(shown.has(id), id).to.equal(true);
    expect(shown.has(restrictedId)).to.equal(false);
    const withKey = await request(t.hub.app)
      .get('/alerts.geojson')
      .set('authorization', `Bearer ${kg}`);
    expect(withKey.text).to.contain(restrictedId);
    // The feed links work for the public.
    expect((await request(t.hub.app).get(`/api/v1/alerts/${ids[0] ?? ''}/cap`)).status).to.equal(
      200,
    );
    expect((await request(t.hub.app).get(`/api/v1/alerts/${restrictedId}/cap`)).status).to.equal(
      404,
    );
  });

  it('reports readiness of the store', async () => {
    const res = await request(t.hub.app).get('/readyz');
    expect(res.body).to.deep.equal({ status: 'ready', store: 'sqlite' });
  });

  it('answers /readyz with 503 STORE_UNAVAILABLE when the store is gone', async () => {
    const other = await startTestHub();
    await other.hub.store.close();
    const res = await request(other.hub.app).get('/readyz');
    expect([res.status, res.body.error.code]).to.deep.equal([503, 'STORE_UNAVAILABLE']);
    await other.destroy();
  });
});

describe('expiry', () => {
  it('expires alerts past every expires, also at start-up after downtime, and only once', async () => {
    const first = await startTestHub();
    const kg = await first.key('kg-mes', ['cap:submit', 'alerts:read']);
    const posted = await request(first.hub.app)
      .post('/api/v1/alerts')
      .set('authorization', `Bearer ${kg}`)
      .set('content-type', CAP)
      .send(capXml());
    expect(posted.body.state).to.equal('active');
    await first.close();
    // The hub was down while the alert expired (2026-04-03T00:30Z); it restarts a day later.
    const second = await startTestHub({ dataDir: first.dataDir, now: Date.UTC(2026, 3, 4) });
    try {
      const detail = await request(second.hub.app)
        .get(`/api/v1/alerts/${posted.body.id as string}`)
        .set('authorization', `Bearer ${kg}`);
      expect(detail.body.state).to.equal('expired');
      expect(detail.body.history.map((h: { cause: string }) => h.cause)).to.deep.equal([
        'ingest',
        'expiry',
      ]);
      expect(await second.hub.jobs.expireNow()).to.deep.equal([]);
    } finally {
      await second.destroy();
    }
  });
});
