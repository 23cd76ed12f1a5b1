/**
 * Two hub nodes sharing one store: when both review the alarms of a silent station at the same
 * moment (as they would if the job lease were lost), exactly one raises it — the store's
 * conditional write — and exactly one `feed-health` event is written.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../../helpers/hub.ts';
import { addGauge, gauge } from '../sensors/helpers.ts';

describe('station alarms on two hub nodes', function () {
  this.timeout(30_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-station-nodes-'));
  const nodes: TestHub[] = [];

  after(async () => {
    for (const node of nodes) await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('raises the alarm of a silent station once, whichever node reviews it', async () => {
    for (let k = 0; k < 2; k++) nodes.push(await startTestHub({ dataDir }));
    const [a, b] = nodes as [TestHub, TestHub];
    await addGauge(a, await a.key('hub', ['admin']), { ...gauge, intervalMinutes: 5 });
    a.clock.now += 11 * 60_000;
    b.clock.now = a.clock.now;
    const changed = await Promise.all([
      a.hub.feeds.reviewStationAlarms(),
      b.hub.feeds.reviewStationAlarms(),
      a.hub.feeds.reviewStationAlarms(),
      b.hub.feeds.reviewStationAlarms(),
    ]);
    expect(changed.reduce((x, y) => x + y, 0)).to.equal(1);
    const events = (await a.hub.store.eventsAfter(0, 10_000)).filter(
      (e) => e.type === 'feed-health' && e.data.station === gauge.id,
    );
    expect(events.map((e) => e.data.kind)).to.deep.equal(['stale']);
  });
});
