/**
 * `ewx backup --to DIR` while the hub runs: the copy holds every alert the hub had answered
 * for, exactly, and the incident attachments; a hub started on it serves them; the running
 * hub is not disturbed; the command never overwrites anything and says why it cannot copy.
 */
import { expect } from 'chai';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { attachmentHash } from '../../server/incidents/attachments/check-attachment.ts';
import { createFileBlobs } from '../../server/incidents/attachments/file-blobs.ts';
import { cli } from '../helpers/cli.ts';
import { capXml, startTestHub, type TestHub } from '../helpers/hub.ts';

const CAP = 'application/cap+xml';

describe('ewx backup', function () {
  this.timeout(30_000);
  const work = mkdtempSync(join(tmpdir(), 'ewx-backup-'));
  const saved = { data: process.env.HUB_DATA_DIR, mongo: process.env.MONGODB_URI };
  let live: TestHub | undefined;
  let restored: TestHub | undefined;
  afterEach(async () => {
    await live?.destroy();
    await restored?.destroy();
    live = undefined;
    restored = undefined;
    if (saved.data === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved.data;
    if (saved.mongo === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = saved.mongo;
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('copies the data directory of a running hub, and a hub restored from it serves every alert', async () => {
    live = await startTestHub({ dataDir: join(work, 'live') });
    const hub = live;
    const key = await hub.key('kg-mes', ['cap:submit', 'alerts:read']);
    const post = (xml: string) =>
      request(hub.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', CAP)
        .send(xml);
    const posted: { id: string; xml: string }[] = [];
    for (let k = 0; k < 5; k++) {
      const xml = capXml();
      const res = await post(xml);
      expect(res.status).to.equal(201);
      posted.push({ id: res.body.id as string, xml });
    }
    // An incident attachment as the hub stores one, and a write of another in progress.
    const photo = Buffer.from('a photo of the flooded road');
    await createFileBlobs(join(hub.dataDir, 'attachments')).put(
      attachmentHash(photo),
      photo,
      'image/jpeg',
    );
    const hash = attachmentHash(photo);
    writeFileSync(join(hub.dataDir, 'attachments', hash.slice(0, 2), `${hash}.1.2.tmp`), 'half');

    process.env.HUB_DATA_DIR = hub.dataDir;
    const backupDir = join(work, 'backup-2026-11-22');
    const backup = await cli('backup', '--to', backupDir);
    expect(backup.code, backup.err.join('\n')).to.equal(0);
    expect(backup.out).to.deep.equal([backupDir]);
    expect(backup.err.join('\n')).to.match(
      /: [\d.]+ MB of store with \d+ alerts and events up to sequence \d+, 1 attachment file\(s\)\./,
    );
    expect(readdirSync(join(backupDir, 'attachments', hash.slice(0, 2)))).to.deep.equal([hash]);

    // The running hub goes on as before.
    expect((await post(capXml())).status).to.equal(201);

    // Restored as the command says: its files in a data directory.
    const restoredDir = join(work, 'restored');
    mkdirSync(restoredDir);
    cpSync(backupDir, restoredDir, { recursive: true });
    restored = await startTestHub({ dataDir: restoredDir });
    const again = restored;
    const reader = await again.key('kg-mes', ['alerts:read']);
    for (const { id, xml } of posted) {
      const cap = await request(again.hub.app)
        .get(`/api/v1/alerts/${id}/cap`)
        .set('authorization', `Bearer ${reader}`);
      expect(cap.status).to.equal(200);
      expect(cap.text).to.equal(xml);
    }
    const stored = readFileSync(join(restoredDir, 'attachments', hash.slice(0, 2), hash));
    expect(stored.equals(photo)).to.equal(true);
  });

  it('never overwrites anything, says when there is no store, and leaves MongoDB to mongodump', async () => {
    live = await startTestHub({ dataDir: join(work, 'other') });
    process.env.HUB_DATA_DIR = live.dataDir;
    const taken = join(work, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'keep.txt'), 'keep me');
    const refused = await cli('backup', '--to', taken);
    expect(refused.code).to.equal(2);
    expect(refused.err[0]).to.equal(
      `ewx: CLI_USAGE: ${taken} exists: a backup never overwrites or mixes with anything; name a new directory`,
    );
    expect(readdirSync(taken)).to.deep.equal(['keep.txt']);

    process.env.HUB_DATA_DIR = join(work, 'nothing-here');
    const missing = await cli('backup', '--to', join(work, 'none'));
    expect(missing.code).to.equal(1);
    expect(missing.err[0]).to.contain('ewx: STORE_UNAVAILABLE: there is no store at');
    expect(existsSync(join(work, 'none'))).to.equal(false);

    process.env.HUB_DATA_DIR = live.dataDir;
    process.env.MONGODB_URI = 'mongodb://127.0.0.1:9/ewx';
    const mongo = await cli('backup', '--to', join(work, 'mongo'));
    expect(mongo.code).to.equal(2);
    expect(mongo.err[0]).to.contain('back it up with mongodump');
    expect(existsSync(join(work, 'mongo'))).to.equal(false);

    const usage = await cli('backup');
    expect([usage.code, usage.err[0]]).to.deep.equal([2, 'ewx: CLI_USAGE: backup needs --to DIR']);
  });
});
