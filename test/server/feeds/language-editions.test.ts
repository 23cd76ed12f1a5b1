/**
 * One warning published in two languages is one warning. MeteoInfo (Kazhydromet,
 * Kyrgyzhydromet, Uzhydromet) publishes English and Russian CAP documents whose identifiers
 * differ only in a language suffix (`…-00-EN`, `…-00-RU`): whether they come through two thin
 * feeds (either order, or at the same moment), one fat feed or a POST, the hub keeps them in one
 * thread, both active, issues one hub alert for them, and lets each language's Update or Cancel
 * act on that edition alone.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startCapAtomPartner } from '../../../demo/partners/cap-atom-partner.ts';
import { buildCap } from '../../../protocols/cap/build.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { parseCap } from '../../../protocols/cap/parse.ts';
import { languageEditionKey } from '../../../server/feeds/language-editions.ts';
import { startServer } from '../../feeds/helpers.ts';
import { validAlert } from '../../helpers/cap.ts';
import type { TestHub } from '../../helpers/hub.ts';
import { startFeedHub, waitForPoll } from './helpers.ts';

const BASE = '2.49.0.0.398.0-20260402-063000-0284797-00';

/** The constructed MeteoInfo-style editions (see test/fixtures/feeds/SOURCE.md). */
function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/feeds/meteoinfo/${name}`, import.meta.url), 'utf8');
}
const ENGLISH = fixture('warning-en.cap');
const RUSSIAN = fixture('warning-ru.cap');

/** The edition `xml`, changed by `change`, as CAP XML. */
function variant(xml: string, change: (alert: CapAlert) => void): string {
  const alert = parseCap(xml);
  change(alert);
  return buildCap(alert);
}

/** `xml` turned into its warning's `msgType` (Update or Cancel) of revision `revision`. */
function followUp(xml: string, msgType: 'Update' | 'Cancel', revision: string): string {
  const original = parseCap(xml);
  return variant(xml, (alert) => {
    alert.identifier = original.identifier.replace(/-00-(EN|RU)$/, `-${revision}-$1`);
    alert.sent = '2026-04-02T08:30:00+06:00';
    alert.msgType = msgType;
    alert.references = `${original.sender},${original.identifier},${original.sent}`;
    for (const info of alert.info) if (msgType === 'Cancel') info.responseType = ['AllClear'];
  });
}

interface Item {
  id: string;
  orgId: string;
  identifier: string;
  state: string;
  threadId: string;
  language: string | null;
  editionOf: string | null;
  editions: { id: string; language: string; state: string }[];
}

type FeedHub = TestHub & { admin: string };

async function listAll(test: FeedHub): Promise<Item[]> {
  const res = await request(test.hub.app)
    .get('/api/v1/alerts?limit=500')
    .set('authorization', `Bearer ${test.admin}`)
    .expect(200);
  return (res.body as { items: Item[] }).items;
}

async function routingOf(
  test: FeedHub,
  id: string,
): Promise<{ hub: { action: string; alertId: string | null; reason: string } | null }> {
  const res = await request(test.hub.app)
    .get(`/api/v1/alerts/${id}/routing`)
    .set('authorization', `Bearer ${test.admin}`)
    .expect(200);
  return res.body as { hub: { action: string; alertId: string | null; reason: string } | null };
}

/**
 * Checks that the hub holds exactly one warning in English and Russian: two active editions in
 * one thread and group, listed with their language, and one hub alert both routing records
 * point at. Answers the two editions (English first) and the hub alert.
 */
async function expectOneWarning(test: FeedHub): Promise<{ en: Item; ru: Item; hub: Item }> {
  const items = await listAll(test);
  const hubAlerts = items.filter((a) => a.orgId === 'hub');
  const sources = items.filter((a) => a.orgId !== 'hub');
  expect(sources.map((a) => a.language).sort()).to.deep.equal(['en', 'ru']);
  const en = sources.find((a) => a.language === 'en');
  const ru = sources.find((a) => a.language === 'ru');
  if (en === undefined || ru === undefined) throw new Error('an edition is missing');
  expect([en.state, ru.state]).to.deep.equal(['active', 'active']);
  expect(ru.threadId).to.equal(en.threadId);
  expect(ru.editionOf).to.equal(en.editionOf);
  // One row per warning: both items name both editions, the first stored first.
  expect(en.editions).to.deep.equal(ru.editions);
  expect(en.editions.map((e) => e.language).sort()).to.deep.equal(['en', 'ru']);
  expect(en.editions[0]?.id).to.equal(en.editionOf);
  expect(hubAlerts, 'one hub alert for the warning').to.have.length(1);
  const hub = hubAlerts[0];
  if (hub === undefined) throw new Error('no hub alert');
  expect((await routingOf(test, en.id)).hub?.alertId).to.equal(hub.id);
  expect((await routingOf(test, ru.id)).hub?.alertId).to.equal(hub.id);
  // The detail's thread lists both editions with their language.
  const detail = await request(test.hub.app)
    .get(`/api/v1/alerts/${ru.id}`)
    .set('authorization', `Bearer ${test.admin}`)
    .expect(200);
  expect(
    (detail.body as { thread: Item[] }).thread.map((a) => [a.id, a.language]).sort(),
  ).to.deep.equal(
    [
      [en.id, 'en'],
      [ru.id, 'ru'],
    ].sort(),
  );
  return { en, ru, hub };
}

async function addFeed(test: FeedHub, id: string, url: string): Promise<void> {
  await request(test.hub.app)
    .post('/api/v1/feeds')
    .set('authorization', `Bearer ${test.admin}`)
    .send({ id, org: 'kg-mes', type: 'cap-atom', url })
    .expect(201);
}

describe('language editions', function () {
  this.timeout(60_000);

  describe('the edition key', () => {
    function edition(
      suffix: string,
      language: string | undefined,
    ): Pick<CapAlert, 'sender' | 'identifier' | 'info'> {
      const alert = validAlert();
      alert.sender = 'kazhydromet';
      alert.identifier = `${BASE}-${suffix}`;
      for (const info of alert.info) {
        if (language === undefined) delete info.language;
        else info.language = language;
      }
      return alert;
    }

    it('keys an edition by sender and identifier without the suffix naming its language', () => {
      expect(languageEditionKey(edition('EN', 'en-US'))).to.deep.equal({
        pairKey: `kazhydromet ${BASE}`,
        language: 'en',
      });
      expect(languageEditionKey(edition('RU', 'ru-RU'))).to.deep.equal({
        pairKey: `kazhydromet ${BASE}`,
        language: 'ru',
      });
      // CAP 1.2: no <language> means en-US.
      expect(languageEditionKey(edition('en', undefined))?.language).to.equal('en');
    });

    it('leaves alone identifiers whose last letters are not the alert language', () => {
      expect(languageEditionKey(edition('NW', 'en-US'))).to.equal(undefined);
      expect(languageEditionKey(edition('RU', 'en-US'))).to.equal(undefined);
      expect(languageEditionKey(validAlert())).to.equal(undefined);
    });
  });

  describe('through feeds', () => {
    for (const order of [
      ['en', 'ru'],
      ['ru', 'en'],
    ] as const) {
      it(`threads the ${order.join(' and ')} feeds of a warning as one warning with one hub alert`, async () => {
        const test = await startFeedHub();
        const partners = {
          en: await startCapAtomPartner({ title: 'Kyrgyzhydromet (en)' }),
          ru: await startCapAtomPartner({ title: 'Kyrgyzhydromet (ru)' }),
        };
        try {
          partners.en.publish(ENGLISH);
          partners.ru.publish(RUSSIAN);
          for (const language of order) {
            await addFeed(test, `kg-${language}`, partners[language].url);
            await waitForPoll(test, `kg-${language}`);
          }
          const { en, ru } = await expectOneWarning(test);
          // The first one polled founded the warning.
          expect(en.editionOf).to.equal(order[0] === 'en' ? en.id : ru.id);
          // Which feed delivered which edition stays known.
          const editions = await test.hub.feeds.service.editionsOf(en.id);
          expect(editions.map((e) => [e.language, e.feedId]).sort()).to.deep.equal([
            ['en', 'kg-en'],
            ['ru', 'kg-ru'],
          ]);
        } finally {
          await test.destroy();
          await partners.en.close();
          await partners.ru.close();
        }
      });
    }

    it('threads both editions of a fat feed as one warning', async () => {
      const test = await startFeedHub();
      const body = fixture('warnings-fat.atom');
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        res.end(body);
      });
      try {
        await addFeed(test, 'kg-fat', server.url('/atom.xml'));
        const feed = await waitForPoll(test, 'kg-fat');
        expect(feed.health.lastError).to.equal(null);
        await expectOneWarning(test);
      } finally {
        await test.destroy();
        await server.close();
      }
    });

    it('issues one hub alert when both feeds are polled at the same moment', async () => {
      const test = await startFeedHub();
      const partners = {
        en: await startCapAtomPartner({ title: 'Kyrgyzhydromet (en)' }),
        ru: await startCapAtomPartner({ title: 'Kyrgyzhydromet (ru)' }),
      };
      try {
        partners.en.publish(ENGLISH);
        partners.ru.publish(RUSSIAN);
        await Promise.all([
          addFeed(test, 'kg-en', partners.en.url),
          addFeed(test, 'kg-ru', partners.ru.url),
        ]);
        await Promise.all([waitForPoll(test, 'kg-en'), waitForPoll(test, 'kg-ru')]);
        await expectOneWarning(test);
      } finally {
        await test.destroy();
        await partners.en.close();
        await partners.ru.close();
      }
    });
  });

  describe('posted', () => {
    let test: FeedHub;
    let key: string;

    beforeEach(async () => {
      test = await startFeedHub();
      key = await test.key('kg-mes', ['cap:submit', 'alerts:read']);
    });
    afterEach(() => test.destroy());

    async function post(xml: string): Promise<{ id: string; hubAlertId?: string; state: string }> {
      const res = await request(test.hub.app)
        .post('/api/v1/alerts')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', 'application/cap+xml')
        .send(xml)
        .expect(201);
      return res.body as { id: string; hubAlertId?: string; state: string };
    }

    async function stateOf(id: string): Promise<string> {
      return (await test.hub.store.getAlert(id))?.state ?? 'missing';
    }

    it('joins a posted Russian edition to the English one: the same rule as for feeds', async () => {
      const en = await post(ENGLISH);
      const ru = await post(RUSSIAN);
      expect(ru.hubAlertId).to.be.a('string');
      expect(ru.hubAlertId).to.equal(en.hubAlertId);
      const routing = await routingOf(test, ru.id);
      expect(routing.hub).to.deep.include({ action: 'none', alertId: en.hubAlertId });
      expect(routing.hub?.reason).to.contain(`en edition of this warning (${en.id})`);
      await expectOneWarning(test);
    });

    it('keeps an identifier merely ending in two letters (-NW) apart', async () => {
      const english = await post(ENGLISH);
      const northWest = await post(
        variant(ENGLISH, (alert) => {
          alert.identifier = alert.identifier.replace(/-EN$/, '-NW');
        }),
      );
      const nw = await test.hub.store.getAlert(northWest.id);
      expect(nw).to.deep.include({ language: null, editionOf: null, editions: [] });
      expect(nw?.threadId).to.equal(northWest.id);
      expect((await test.hub.store.getAlert(english.id))?.editions).to.have.length(1);
      // Two warnings, two hub alerts.
      expect(northWest.hubAlertId).to.be.a('string');
      expect(northWest.hubAlertId).to.not.equal(english.hubAlertId);
    });

    it('cancels only the edition a Cancel names; the hub alert ends with the last language', async () => {
      const en = await post(ENGLISH);
      const ru = await post(RUSSIAN);
      const hubId = en.hubAlertId ?? '';
      // MeteoInfo cancels a warning in each language; the English Cancel comes first.
      const cancelEn = await post(followUp(ENGLISH, 'Cancel', '01'));
      expect([await stateOf(en.id), await stateOf(ru.id)]).to.deep.equal(['cancelled', 'active']);
      expect(await stateOf(hubId), 'the warning still stands in Russian').to.equal('active');
      const held = await routingOf(test, cancelEn.id);
      expect(held.hub).to.deep.include({ action: 'none', alertId: null });
      expect(held.hub?.reason).to.contain(`ru (${ru.id})`);
      expect(cancelEn.hubAlertId).to.equal(undefined);
      // A reader still sees the warning, in Russian.
      const active = (await listAll(test)).filter((a) => a.state === 'active' && a.orgId !== 'hub');
      expect(active.map((a) => a.id)).to.include(ru.id);

      const cancelRu = await post(followUp(RUSSIAN, 'Cancel', '01'));
      expect(await stateOf(ru.id)).to.equal('cancelled');
      expect(cancelRu.hubAlertId).to.be.a('string');
      expect(await stateOf(hubId)).to.equal('cancelled');
      const hubCancel = await test.hub.store.getAlert(cancelRu.hubAlertId ?? '');
      expect(hubCancel?.msgType).to.equal('Cancel');
      // The two Cancels are the editions of one message, in the warning's thread.
      const both = await test.hub.store.getAlert(cancelRu.id);
      expect(both?.editions.map((e) => e.id)).to.deep.equal([cancelEn.id, cancelRu.id]);
      expect(both?.threadId).to.equal((await test.hub.store.getAlert(en.id))?.threadId);
      const hubAlerts = (await listAll(test)).filter((a) => a.orgId === 'hub');
      expect(hubAlerts.map((a) => a.id).sort()).to.deep.equal([hubId, cancelRu.hubAlertId].sort());
    });

    it('updates the hub alert once for an Update published in both languages', async () => {
      const en = await post(ENGLISH);
      const ru = await post(RUSSIAN);
      const updateRu = await post(followUp(RUSSIAN, 'Update', '01'));
      expect([await stateOf(en.id), await stateOf(ru.id)]).to.deep.equal(['active', 'superseded']);
      expect(updateRu.hubAlertId).to.be.a('string');
      expect(updateRu.hubAlertId).to.not.equal(en.hubAlertId);
      const updateEn = await post(followUp(ENGLISH, 'Update', '01'));
      expect(await stateOf(en.id)).to.equal('superseded');
      expect(updateEn.hubAlertId).to.equal(updateRu.hubAlertId);
      const hubAlerts = (await listAll(test)).filter((a) => a.orgId === 'hub');
      expect(hubAlerts.map((a) => [a.id, a.state]).sort()).to.deep.equal(
        [
          [en.hubAlertId, 'superseded'],
          [updateRu.hubAlertId, 'active'],
        ].sort(),
      );
    });
  });
});
