/**
 * `wis2` feeds (issue 7): a feed added with `ewx feeds add --type wis2 --url mqtt://…/<topic>`
 * (or the admin API) makes the running hub subscribe to the topic on the real Mosquitto; a WIS2
 * notification linking to a CAP served by a loopback HTTP server gets that CAP ingested for
 * the feed's organisation, and the feed's health counts it — and the notifications it could
 * not use, and a broker it cannot reach. Published while the hub is down, a notification is
 * delivered when it is back (QoS 1, persistent session).
 */
import { expect } from 'chai';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import request from 'supertest';
import { parseWis2FeedUrl } from '../../../server/feeds/wis2-feed-url.ts';
import { wis2FeedClientId } from '../../../server/feeds/wis2-feeds.ts';
import { cli } from '../../helpers/cli.ts';
import { capXml, type TestHub } from '../../helpers/hub.ts';
import { dropSession, MQTT_URL, publisher, requireBroker } from '../sensors/mqtt.ts';
import { getFeed, startFeedHub, waitFor } from './helpers.ts';

/** A WIS2 Notification Message announcing the CAP `xml` at `href`. */
function notification(href: string, xml: string) {
  return {
    id: `urn:uuid:${randomUUID()}`,
    conformsTo: ['http://wis.wmo.int/spec/wnm/1/conf/core'],
    type: 'Feature',
    geometry: null,
    properties: {
      data_id: `kz-kazhydromet/cap/${randomUUID()}`,
      pubtime: new Date().toISOString(),
      datetime: new Date().toISOString(),
      integrity: { method: 'sha512', value: createHash('sha512').update(xml).digest('base64') },
    },
    links: [{ href, rel: 'canonical', type: 'application/cap+xml', length: xml.length }],
  };
}

describe('wis2 feeds', () => {
  describe('their URL', () => {
    it('reads the broker and the topic, # and + included', () => {
      expect(
        parseWis2FeedUrl(
          'mqtts://everyone:everyone@globalbroker.example.org:8883/origin/a/wis2/+/data/core/weather/advisories-warnings/#',
        ),
      ).to.deep.equal({
        broker: 'mqtts://everyone:everyone@globalbroker.example.org:8883',
        host: 'globalbroker.example.org',
        topic: 'origin/a/wis2/+/data/core/weather/advisories-warnings/#',
      });
      expect(parseWis2FeedUrl('wss://broker.example.org/mqtt?topic=cache/a/wis2/%2B/#')).to.include(
        {
          broker: 'wss://broker.example.org/mqtt',
          topic: 'cache/a/wis2/+/#',
        },
      );
    });

    it('refuses what is not a broker URL with a topic filter (FEED_URL_INVALID)', () => {
      for (const url of ['https://x.example/a', 'mqtt://x.example/a/#/b', 'mqtt://x.example/a+/b'])
        expect(() => parseWis2FeedUrl(url), url)
          .to.throw()
          .with.property('code', 'FEED_URL_INVALID');
    });
  });

  describe('over Mosquitto', function () {
    this.timeout(60_000);
    const suffix = `ewx-wis2-feed-${process.pid}-${Date.now().toString(36)}`;
    const topicBase = 'origin/a/wis2/kz-kazhydromet/data/core/weather/advisories-warnings';
    const feedUrl = `${MQTT_URL}/origin/a/wis2/+/data/core/weather/advisories-warnings/${suffix}/#`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ewx-wis2-feeds-'));
    const saved = { dir: process.env.HUB_DATA_DIR, allow: process.env.HUB_FEED_ALLOW };
    const served = new Map<string, string>();
    let server: Server | undefined;
    let pub: MqttClient | undefined;
    let test: (TestHub & { admin: string }) | undefined;
    let capBase = '';

    before(async function () {
      await requireBroker(this);
      const http = createServer((req, res) => {
        const xml = served.get(req.url ?? '');
        if (xml === undefined) res.writeHead(404).end('no such CAP');
        else res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(xml);
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      server = http;
      capBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      process.env.HUB_DATA_DIR = dataDir;
      process.env.HUB_FEED_ALLOW = '127.0.0.1';
      pub = await publisher();
    });

    after(async () => {
      await pub?.endAsync();
      await test?.close();
      for (const id of ['kz-wis2', 'kz-wis2-down', 'kz-wis2-api'])
        await dropSession(wis2FeedClientId(dataDir, 'central-asia', id)).catch(() => undefined);
      server?.close();
      for (const [name, value] of [
        ['HUB_DATA_DIR', saved.dir],
        ['HUB_FEED_ALLOW', saved.allow],
      ] as const) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    const hub = (): TestHub & { admin: string } => {
      if (test === undefined) throw new Error('no hub');
      return test;
    };

    /** Serves a fresh CAP of Kazhydromet's and publishes a notification of it. */
    async function announce(path: string, options: { serve?: boolean } = {}) {
      let identifier = '';
      const xml = capXml((alert) => {
        alert.sender = 'cap@meteo.kz';
        identifier = alert.identifier;
      });
      if (options.serve !== false) served.set(path, xml);
      const message = notification(`${capBase}${path}`, xml);
      await pub?.publishAsync(`${topicBase}/${suffix}`, JSON.stringify(message), { qos: 1 });
      return identifier;
    }

    async function storedAlert(identifier: string) {
      return (
        await hub().hub.store.listAlerts({
          limit: 200,
          visibleTo: { kind: 'organisation', orgId: 'hub', country: null, isHub: true },
        })
      ).find((a) => a.identifier === identifier);
    }

    it('subscribes to a feed added with ewx feeds add --type wis2 and ingests the linked CAP', async () => {
      test = await startFeedHub({ dataDir });
      const added = await cli(
        ...['feeds', 'add', '--org', 'kz-mes', '--type', 'wis2', '--id', 'kz-wis2'],
        ...['--url', feedUrl],
      );
      expect(added.code, added.err.join('\n')).to.equal(0);
      expect(added.err.join('\n')).to.contain('subscribes to it within a minute');
      // What the hub's minute job does.
      await hub().hub.feeds.refresh();
      await waitFor(
        async () => (await getFeed(hub(), hub().admin, 'kz-wis2')).health.lastPollAt !== null,
        10_000,
        'the subscription',
      );

      const identifier = await announce('/cap/kz-1.xml');
      const alert = await waitFor(() => storedAlert(identifier), 15_000, 'the WIS2 CAP');
      expect(alert).to.include({ orgId: 'kz-mes', sender: 'cap@meteo.kz' });
      const feed = await waitFor(async () => {
        const view = await getFeed(hub(), hub().admin, 'kz-wis2');
        return view.health.itemsReceived === 1 ? view : undefined;
      });
      expect(feed.health).to.include({ status: 'subscription', entryErrors: 0 });
      expect(feed.health.lastSuccessAt).to.be.a('string');
      expect(feed.health.summary).to.contain('1 CAP message(s) received');
    });

    it('records a notification whose CAP cannot be fetched as an error of the feed', async () => {
      await announce('/cap/missing.xml', { serve: false });
      // Three attempts, 1 s and 4 s apart.
      const feed = await waitFor(
        async () => {
          const view = await getFeed(hub(), hub().admin, 'kz-wis2');
          return view.health.entryErrors === 1 ? view : undefined;
        },
        20_000,
        'the error of the missing CAP',
      );
      expect(feed.health.lastError).to.include({ code: 'FEED_HTTP_STATUS' });
      expect(feed.health.lastError?.url).to.equal(`${capBase}/cap/missing.xml`);
      expect(feed.health.itemsReceived).to.equal(1);
    });

    it('gets what was published while the hub was down once it is back', async () => {
      await hub().close();
      test = undefined;
      const identifier = await announce('/cap/kz-while-down.xml');
      test = await startFeedHub({ dataDir });
      const alert = await waitFor(() => storedAlert(identifier), 15_000, 'the CAP sent meanwhile');
      expect(alert).to.include({ orgId: 'kz-mes' });
    });

    it('records a broker it cannot reach, and unsubscribes a removed feed', async () => {
      const res = await request(hub().hub.app)
        .post('/api/v1/feeds')
        .set('authorization', `Bearer ${hub().admin}`)
        .send({
          id: 'kz-wis2-down',
          org: 'kz-mes',
          type: 'wis2',
          url: `mqtt://127.0.0.1:1/${topicBase}/#`,
        })
        .expect(201);
      expect(res.body.health).to.include({ status: 'subscription' });
      const failing = await waitFor(async () => {
        const view = await getFeed(hub(), hub().admin, 'kz-wis2-down');
        return view.health.status === 'failing' ? view : undefined;
      });
      expect(failing.health.lastError).to.include({ code: 'FEED_CONNECT_FAILED' });
      expect(failing.health.summary).to.contain('MQTT broker could not be reached');

      await request(hub().hub.app)
        .delete('/api/v1/feeds/kz-wis2')
        .set('authorization', `Bearer ${hub().admin}`)
        .expect(204);
      const identifier = await announce('/cap/kz-after-removal.xml');
      // Give a subscription that would still exist the time to ingest it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await storedAlert(identifier)).to.equal(undefined);
      // The broker no longer keeps a session (a queue) for the removed feed.
      const probe = mqtt.connect(MQTT_URL, {
        clientId: wis2FeedClientId(dataDir, 'central-asia', 'kz-wis2'),
        clean: false,
        reconnectPeriod: 0,
      });
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
        probe.once('connect', resolve);
        probe.once('error', reject);
      });
      await probe.endAsync();
      expect(connack.sessionPresent).to.equal(false);
    });
  });
});
