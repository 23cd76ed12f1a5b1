/**
 * `/console` edges: refused handshakes are counted in the audit log (per address and code), and
 * each console request checks the role, not only the handshake (a viewer may not `ack`).
 */
import { expect } from 'chai';
import {
  addUser,
  logIn,
  openConsole,
  postCap,
  startLiveTestHub,
  type LiveTestHub,
} from '../../helpers/console.ts';
import { inlandXml } from '../../helpers/hub.ts';

describe('/console: refused handshakes audited, roles per request', function () {
  this.timeout(60_000);
  let hub: LiveTestHub;
  before(async () => {
    hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '3600' } });
  });
  after(() => hub.destroy());

  it('counts refused handshakes per address and code in the audit log', async () => {
    for (let i = 0; i < 3; i += 1) {
      const refused = await openConsole(hub.url, 'ewxs_not-a-session').catch((e: unknown) => e);
      expect(refused).to.have.property('code', 'AUTH_INVALID');
    }
    const keyRefused = await openConsole(hub.url, 'ewx_an-api-key').catch((e: unknown) => e);
    expect(keyRefused).to.have.property('code', 'AUTH_INVALID');
    await hub.hub.security.audit.flush();
    const entries = await hub.hub.security.store.listAudit({
      type: 'handshake.refused',
      limit: 10,
    });
    expect(entries).to.have.length(1);
    expect(entries[0]?.details).to.include({ code: 'AUTH_INVALID', count: 4 });
    expect(entries[0]?.address).to.be.a('string');
  });

  it("refuses a viewer's ack with FORBIDDEN while an officer's goes through", async () => {
    const key = await hub.key('kg-mes', ['cap:submit']);
    const posted = await postCap(hub.url, key, inlandXml());
    expect(posted.status).to.equal(201);
    const viewer = await logIn(
      hub.url,
      'kg-viewer',
      await addUser(hub.hub.store, 'kg-mes', 'kg-viewer', 'viewer'),
    );
    const officer = await logIn(
      hub.url,
      'kg-officer',
      await addUser(hub.hub.store, 'kg-mes', 'kg-officer', 'officer'),
    );
    const watching = await openConsole(hub.url, viewer);
    const answer: unknown = await watching.socket
      .timeout(5000)
      .emitWithAck('ack', { alertId: posted.body.id });
    expect(answer).to.deep.include({
      error: { code: 'FORBIDDEN', message: 'ack needs a role with the scope alerts:ack' },
    });
    const synced: unknown = await watching.socket.timeout(5000).emitWithAck('sync', { after: 0 });
    expect(synced).to.have.property('upTo');
    watching.close();
    const acting = await openConsole(hub.url, officer);
    const acked: unknown = await acting.socket
      .timeout(5000)
      .emitWithAck('ack', { alertId: posted.body.id });
    expect(acked).to.have.property('outcome', 'created');
    acting.close();
  });
});
