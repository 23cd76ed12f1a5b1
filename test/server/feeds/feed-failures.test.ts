/**
 * Feeds that misbehave — garbage, a server that never answers, a redirect to a private
 * address, 50 MB — end in a recorded error that feed health explains, and the hub (and its
 * other feeds) keep going.
 */
import { expect } from 'chai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { startCapAtomPartner } from '../../../demo/partners/cap-atom-partner.ts';
import type { FeedView } from '../../../server/feeds/feed-view.ts';
import { startServer, type TestServer } from '../../feeds/helpers.ts';
import { inlandXml, type TestHub } from '../../helpers/hub.ts';
import { startFeedHub } from './helpers.ts';

const MB = 1024 * 1024;

function huge(res: ServerResponse, megabytes: number): void {
  res.on('error', () => undefined);
  res.writeHead(200, { 'content-type': 'application/atom+xml' });
  const chunk = Buffer.alloc(MB, 0x61);
  let sent = 0;
  const write = (): void => {
    while (sent < megabytes && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  write();
}

const misbehaviour: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/garbage': (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/atom+xml' }).end('<feed><entry>not xml'),
  '/hang': () => undefined,
  '/redirect-private': (_req, res) =>
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/huge': (_req, res) => huge(res, 50),
  '/gone': (_req, res) => res.writeHead(404).end(),
};

describe('feeds that misbehave', function () {
  this.timeout(60_000);
  let test: TestHub & { admin: string };
  let server: TestServer;

  before(async () => {
    test = await startFeedHub();
    server = await startServer((req, res) => {
      const handler = misbehaviour[req.url ?? ''];
      if (handler === undefined) res.writeHead(404).end();
      else handler(req, res);
    });
  });
  after(async () => {
    await test.destroy();
    await server.close();
  });

  async function addAndPoll(
    id: string,
    path: string,
  ): Promise<{ report: { status: string }; feed: FeedView }> {
    await request(test.hub.app)
      .post('/api/v1/feeds')
      .set('authorization', `Bearer ${test.admin}`)
      .send({ id, org: 'kz-mes', type: 'cap-atom', url: server.url(path) })
      .expect(201);
    const res = await request(test.hub.app)
      .post(`/api/v1/feeds/${id}/poll`)
      .set('authorization', `Bearer ${test.admin}`)
      .expect(200);
    return res.body as { report: { status: string }; feed: FeedView };
  }

  const cases: [string, string, string, RegExp][] = [
    ['garbage', '/garbage', 'FEED_UNREADABLE', /not a document of the kind/],
    [
      'a server that never answers',
      '/hang',
      'FEED_TIMEOUT',
      /did not connect, answer or finish in time/,
    ],
    [
      'a redirect to a link-local address',
      '/redirect-private',
      'FEED_ADDRESS_FORBIDDEN',
      /private, loopback, link-local/,
    ],
    ['50 MB', '/huge', 'FEED_TOO_LARGE', /larger than the byte limit/],
    ['a 404', '/gone', 'FEED_HTTP_STATUS', /HTTP error status/],
  ];
  for (const [what, path, code, explanation] of cases) {
    it(`records ${code} for ${what}, with what it means and what to do`, async () => {
      const id = `kz-${path.slice(1)}`;
      const { report, feed } = await addAndPoll(id, path);
      expect(report.status).to.equal('failed');
      expect(feed.health.status).to.equal('failing');
      expect(feed.health.lastError?.code).to.equal(code);
      expect(feed.health.lastError?.explanation).to.match(explanation);
      expect(feed.health.lastError?.fix).to.be.a('string').that.is.not.empty;
      expect(feed.health.consecutiveFailures).to.be.at.least(1);
      expect(feed.health.summary).to.contain('failed');
      await request(test.hub.app).get('/healthz').expect(200);
    });
  }

  it('keeps polling the other feeds after every failure', async () => {
    const partner = await startCapAtomPartner({ title: 'healthy' });
    try {
      partner.publish(inlandXml());
      await request(test.hub.app)
        .post('/api/v1/feeds')
        .set('authorization', `Bearer ${test.admin}`)
        .send({ id: 'kz-partner', org: 'kz-mes', type: 'cap-atom', url: partner.url })
        .expect(201);
      const polled = await request(test.hub.app)
        .post('/api/v1/feeds/kz-partner/poll')
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
      expect((polled.body as { feed: FeedView }).feed.health).to.include({
        status: 'ok',
        itemsReceived: 1,
      });
      const all = await request(test.hub.app)
        .get('/api/v1/feeds')
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
      const statuses = (all.body as { items: FeedView[] }).items.map((f) => f.health.status);
      expect(statuses.filter((s) => s === 'failing')).to.have.length(cases.length);
    } finally {
      await partner.close();
    }
  });
});
