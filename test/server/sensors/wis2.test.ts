/**
 * WIS2 notifications (issue 7): reading WIS2 Notification Messages, and — over the real
 * Mosquitto — a notification leading to the linked CAP (served by a loopback HTTP server)
 * being fetched and ingested for the organisation of the publishing centre.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MqttClient } from 'mqtt';
import type { SafeFetch } from '../../../feeds/ports.ts';
import { loadRegion } from '../../../server/region/region.ts';
import { hubMqttClientId } from '../../../server/sensors/mqtt-subscription.ts';
import {
  handleWis2Message,
  organisationOfCentre,
  type Wis2Options,
} from '../../../server/sensors/wis2-listener.ts';
import {
  capLinkOf,
  centreIdOfTopic,
  readWis2Notification,
} from '../../../server/sensors/wis2-notification.ts';
import { capXml, startTestHub, type TestHub } from '../../helpers/hub.ts';
import { dropSession, eventually, MQTT_URL, publisher, requireBroker } from './mqtt.ts';

const region = loadRegion(undefined);
const TOPIC = 'origin/a/wis2/kz-kazhydromet/data/core/weather/advisories-warnings';

/** A WIS2 Notification Message announcing `href` (and, optionally, embedding the bytes). */
function notification(href: string, xml: string, options: { embed?: boolean; hash?: string } = {}) {
  return {
    id: `urn:uuid:${crypto.randomUUID()}`,
    conformsTo: ['http://wis.wmo.int/spec/wnm/1/conf/core'],
    type: 'Feature',
    geometry: null,
    properties: {
      data_id: `kz-kazhydromet/cap/${Date.now()}`,
      pubtime: new Date().toISOString(),
      datetime: new Date().toISOString(),
      integrity: {
        method: 'sha512',
        value: options.hash ?? createHash('sha512').update(xml).digest('base64'),
      },
      ...(options.embed === true
        ? {
            content: {
              encoding: 'base64',
              value: Buffer.from(xml).toString('base64'),
              size: xml.length,
            },
          }
        : {}),
    },
    links: [{ href, rel: 'canonical', type: 'application/cap+xml', length: xml.length }],
  };
}

/** An alert of Kazhydromet's (fresh identifier). */
function kazhydrometXml(): { xml: string; identifier: string } {
  let identifier = '';
  const xml = capXml((alert) => {
    alert.sender = 'cap@meteo.kz';
    identifier = alert.identifier;
  });
  return { xml, identifier };
}

describe('WIS2 notification messages', () => {
  it('reads the canonical CAP link and the centre id of the topic', () => {
    const read = readWis2Notification(notification('https://meteo.kz/cap/1.xml', '<alert/>'));
    expect(read.ok).to.equal(true);
    if (!read.ok) return;
    expect(capLinkOf(read.notification)?.href).to.equal('https://meteo.kz/cap/1.xml');
    expect(centreIdOfTopic(TOPIC)).to.equal('kz-kazhydromet');
    expect(centreIdOfTopic('ewx/obs/x')).to.equal(undefined);
  });

  it('refuses a message that is not a WIS2 notification, saying why', () => {
    const read = readWis2Notification({ type: 'Feature', links: [] });
    expect(read.ok).to.equal(false);
    if (!read.ok) expect(read.problem).to.contain('links');
  });

  it('maps a centre to the partner of its country, or as configured', () => {
    expect(organisationOfCentre('kz-kazhydromet', region, new Map())).to.equal('kz-mes');
    expect(organisationOfCentre('cn-cma', region, new Map())).to.equal('cn-mem');
    expect(organisationOfCentre('de-dwd', region, new Map())).to.equal(undefined);
    expect(organisationOfCentre('de-dwd', region, new Map([['*', 'hub']]))).to.equal('hub');
    expect(organisationOfCentre('kz-x', region, new Map([['kz-x', 'hub']]))).to.equal('hub');
  });

  describe('handling one message', () => {
    let t: TestHub;
    before(async () => {
      t = await startTestHub();
    });
    after(() => t.destroy());

    const options = (fetch: SafeFetch): Wis2Options => ({
      fetch,
      centres: new Map(),
      retryDelaysMs: [10],
    });
    const serving =
      (xml: string): SafeFetch =>
      (request) =>
        Promise.resolve({
          url: request.url,
          status: 200,
          notModified: false,
          body: Buffer.from(xml),
          contentType: 'application/octet-stream',
          redirects: [],
        });
    const failing: SafeFetch = () => Promise.reject(new Error('must not fetch'));

    it('ingests embedded content without fetching', async () => {
      const { xml } = kazhydrometXml();
      const message = Buffer.from(
        JSON.stringify(notification('https://x.kz/1', xml, { embed: true })),
      );
      const outcome = await handleWis2Message(t.hub.sensors.deps, options(failing), TOPIC, message);
      expect(outcome.kind).to.equal('ingested');
    });

    it('skips CAP whose checksum does not match the message', async () => {
      const { xml } = kazhydrometXml();
      const bad = notification('https://x.kz/2', xml, { hash: 'AAAA' });
      const outcome = await handleWis2Message(
        t.hub.sensors.deps,
        options(serving(xml)),
        TOPIC,
        Buffer.from(JSON.stringify(bad)),
      );
      expect(outcome).to.deep.include({ kind: 'skipped' });
      if (outcome.kind === 'skipped') expect(outcome.reason).to.contain('checksum');
    });

    it('skips a centre no organisation stands for', async () => {
      const { xml } = kazhydrometXml();
      const outcome = await handleWis2Message(
        t.hub.sensors.deps,
        options(serving(xml)),
        'origin/a/wis2/de-dwd/data/core/weather/advisories-warnings',
        Buffer.from(JSON.stringify(notification('https://x.de/1', xml))),
      );
      expect(outcome).to.deep.include({ kind: 'skipped' });
      if (outcome.kind === 'skipped') expect(outcome.reason).to.contain('HUB_WIS2_CENTRES');
    });
  });

  describe('over Mosquitto', function () {
    this.timeout(30_000);
    const suffix = `ewx-test-${process.pid}-${Date.now().toString(36)}`;
    let t: TestHub | undefined;
    let server: Server | undefined;
    let pub: MqttClient | undefined;
    const served = new Map<string, string>();

    before(async function () {
      await requireBroker(this);
      const http = createServer((req, res) => {
        const xml = served.get(req.url ?? '');
        if (xml === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(xml);
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      server = http;
      t = await startTestHub({
        env: {
          MQTT_URL,
          HUB_FEED_ALLOW: '127.0.0.1',
          HUB_WIS2_TOPIC: `origin/a/wis2/+/data/core/weather/advisories-warnings/${suffix}/#`,
        },
      });
      await Promise.all(t.hub.sensors.listeners.map((l) => l.ready));
      pub = await publisher();
    });

    after(async () => {
      await pub?.endAsync();
      if (t !== undefined) {
        await t.destroy();
        for (const role of ['obs', 'wis2'])
          await dropSession(hubMqttClientId(role, t.dataDir, t.hub.region.id));
      }
      server?.close();
    });

    it('fetches the CAP a notification links to and ingests it for the centre’s organisation', async () => {
      const hub = t as TestHub;
      const { xml, identifier } = kazhydrometXml();
      served.set('/cap/kz-1.xml', xml);
      const { port } = server?.address() as AddressInfo;
      const message = notification(`http://127.0.0.1:${port}/cap/kz-1.xml`, xml);
      await pub?.publishAsync(`${TOPIC}/${suffix}`, JSON.stringify(message), { qos: 1 });
      const find = async () =>
        (
          await hub.hub.store.listAlerts({
            limit: 50,
            visibleTo: { kind: 'organisation', orgId: 'hub', country: null, isHub: true },
          })
        ).find((a) => a.identifier === identifier);
      await eventually(async () => (await find()) !== undefined, 15_000, 'the WIS2 CAP');
      expect(await find()).to.include({ orgId: 'kz-mes', sender: 'cap@meteo.kz' });
    });
  });
});
