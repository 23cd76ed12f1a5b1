/**
 * `ewx feeds add` and `ewx feeds list`: feeds registered from the command line, checked as the
 * API checks them, listed with their health, and picked up by a hub already running.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startCapAtomPartner,
  type CapAtomPartner,
} from '../../../demo/partners/cap-atom-partner.ts';
import type { FeedView } from '../../../server/feeds/feed-view.ts';
import { cli } from '../../helpers/cli.ts';
import { inlandXml } from '../../helpers/hub.ts';
import { startFeedHub, waitForPoll } from './helpers.ts';

describe('ewx feeds', function () {
  this.timeout(30_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-cli-feeds-'));
  const saved = { dir: process.env.HUB_DATA_DIR, allow: process.env.HUB_FEED_ALLOW };
  let partner: CapAtomPartner;

  before(async () => {
    process.env.HUB_DATA_DIR = dataDir;
    process.env.HUB_FEED_ALLOW = '127.0.0.1';
    partner = await startCapAtomPartner({ title: 'MES KZ (test)' });
    partner.publish(inlandXml());
  });
  after(async () => {
    for (const [name, value] of [
      ['HUB_DATA_DIR', saved.dir],
      ['HUB_FEED_ALLOW', saved.allow],
    ] as const) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    await partner.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a feed before the first start and lists it as not polled yet', async () => {
    const added = await cli(
      'feeds',
      'add',
      '--org',
      'kz-mes',
      '--type',
      'cap-atom',
      '--url',
      partner.url,
      '--id',
      'kz-cli',
      '--cron',
      '*/5 * * * *',
    );
    expect(added.code, added.err.join('\n')).to.equal(0);
    expect(added.out).to.deep.equal(['kz-cli']);
    expect(added.err.join('\n')).to.contain('a running hub polls it within a minute');

    const listed = await cli('feeds', 'list');
    expect(listed.code).to.equal(0);
    expect(listed.out[0]).to.match(
      /^kz-cli\tkz-mes\tcap-atom\tpending\t0 item\(s\)\tlast success never\t/,
    );
    expect(listed.out.join('\n')).to.contain('Not polled yet.');

    const json = await cli('feeds', 'list', '--json');
    const views = JSON.parse(json.out.join('\n')) as FeedView[];
    expect(views.map((v) => [v.id, v.cron, v.source])).to.deep.equal([
      ['kz-cli', '*/5 * * * *', 'cli'],
    ]);
  });

  it('refuses what the API refuses, with the catalogue code', async () => {
    const attempts: [string[], number, string][] = [
      [
        ['--org', 'kz-mes', '--type', 'cap-atom', '--url', partner.url, '--id', 'kz-cli'],
        1,
        'FEED_EXISTS',
      ],
      [['--org', 'kz-mes', '--type', 'geojson', '--url', partner.url], 1, 'REQUEST_INVALID'],
      [['--org', 'xx-mes', '--type', 'cap-atom', '--url', partner.url], 1, 'ORG_UNKNOWN'],
      [
        ['--org', 'kz-mes', '--type', 'cap-atom', '--url', 'ftp://feeds.example.org/a'],
        1,
        'FEED_URL_INVALID',
      ],
      [
        ['--org', 'kz-mes', '--type', 'cap-atom', '--url', 'http://10.1.2.3/atom.xml'],
        1,
        'FEED_ADDRESS_FORBIDDEN',
      ],
      [
        ['--org', 'kz-mes', '--type', 'cap-atom', '--url', partner.url, '--cron', '* * * * * *'],
        1,
        'REQUEST_INVALID',
      ],
      [
        ['--org', 'kz-mes', '--type', 'cap-atom', '--url', partner.url, '--cron', 'often'],
        1,
        'REQUEST_INVALID',
      ],
      [['--org', 'kz-mes', '--type', 'cap-atom'], 2, 'CLI_USAGE'],
    ];
    for (const [args, code, error] of attempts) {
      const answer = await cli('feeds', 'add', ...args);
      expect(answer.code, args.join(' ')).to.equal(code);
      expect(answer.err[0], args.join(' ')).to.contain(`ewx: ${error}:`);
    }
  });

  it('is picked up by a running hub, which polls the new feed at once', async () => {
    const test = await startFeedHub({ dataDir });
    try {
      const added = await cli(
        'feeds',
        'add',
        '--org',
        'kz-mes',
        '--type',
        'cap-rss',
        '--url',
        partner.url,
        '--id',
        'kz-live',
      );
      expect(added.code, added.err.join('\n')).to.equal(0);
      // What the hub's minute job does.
      await test.hub.feeds.refresh();
      const feed = await waitForPoll(test, 'kz-live');
      expect(feed.health).to.include({ status: 'ok', itemsReceived: 1 });
    } finally {
      await test.close();
    }
  });
});
