/**
 * Live `alert` events say which language edition an alert is (README "Warnings in two
 * languages"): a console receives the English and Russian editions of one MeteoInfo warning
 * with their `language` and the same `editionOf`, as `protocols/realtime/events.ts` declares
 * them, and an ordinary alert with both null.
 */
import { expect } from 'chai';
import { buildCap } from '../../../protocols/cap/build.ts';
import type { LiveAlert } from '../../../protocols/realtime/events.ts';
import {
  addUser,
  logIn,
  openConsole,
  postCap,
  startLiveTestHub,
  type LiveTestHub,
  type TestConsole,
} from '../../helpers/console.ts';
import { meteoInfoEdition } from '../../helpers/editions.ts';
import { inlandXml } from '../../helpers/hub.ts';

/** A MeteoInfo-style edition as CAP XML (test/helpers/editions.ts). */
function edition(language: 'en' | 'ru'): string {
  return buildCap(meteoInfoEdition(language));
}

/** The alerts of the `alert` events a console displayed, by id. */
function liveAlerts(console: TestConsole): Map<string, LiveAlert> {
  const out = new Map<string, LiveAlert>();
  for (const item of console.items)
    if (item.name === 'alert') out.set(item.event.alert.id, item.event.alert);
  return out;
}

describe('live alert events: language editions', function () {
  this.timeout(30_000);
  let hub: LiveTestHub;
  let kz: TestConsole | undefined;

  before(async () => {
    hub = await startLiveTestHub({ env: { HUB_HEARTBEAT_SECONDS: '3600' } });
  });
  after(async () => {
    kz?.close();
    await hub.destroy();
  });

  it('carries language and editionOf of each edition, null for an alert that is none', async () => {
    const key = await hub.key('kg-mes', ['cap:submit']);
    const password = await addUser(hub.hub.store, 'kz-mes', 'KZ duty');
    kz = await openConsole(hub.url, await logIn(hub.url, 'KZ duty', password));
    const en = await postCap(hub.url, key, edition('en'));
    const ru = await postCap(hub.url, key, edition('ru'));
    expect([en.status, ru.status]).to.deep.equal([201, 201]);
    const plain = await postCap(
      hub.url,
      key,
      inlandXml((a) => {
        a.scope = 'Restricted';
        a.restriction = 'partner duty services';
        a.addresses = 'kz-mes';
      }),
    );
    expect(plain.status).to.equal(201);
    await kz.waitFor(3, 10_000);

    const alerts = liveAlerts(kz);
    expect(alerts.get(en.body.id)).to.include({ language: 'en', editionOf: en.body.id });
    expect(alerts.get(ru.body.id)).to.include({ language: 'ru', editionOf: en.body.id });
    expect(alerts.get(plain.body.id)).to.include({ language: null, editionOf: null });
  });
});
