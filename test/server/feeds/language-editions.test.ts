/**
 * MeteoInfo's English and Russian editions of one warning (identifiers differing only in a
 * language suffix) are noted as one warning in two languages.
 */
import { expect } from 'chai';
import request from 'supertest';
import { startCapAtomPartner } from '../../../demo/partners/cap-atom-partner.ts';
import type { CapAlert } from '../../../protocols/cap/model.ts';
import { languageEditionKey } from '../../../server/feeds/language-editions.ts';
import { validAlert } from '../../helpers/cap.ts';
import { capXml, inland } from '../../helpers/hub.ts';
import { startFeedHub, waitForPoll } from './helpers.ts';

const BASE = '2.49.0.0.398.0-20260402-063000-0284797-00';

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

describe('language editions', () => {
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

  it('notes the English and Russian feeds of a warning as two editions of one', async function () {
    this.timeout(30_000);
    const test = await startFeedHub();
    const en = await startCapAtomPartner({ title: 'Kazhydromet (en)' });
    const ru = await startCapAtomPartner({ title: 'Kazhydromet (ru)' });
    try {
      const xml = (suffix: string, language: string): string =>
        capXml((alert) => {
          inland(alert);
          alert.sender = 'kazhydromet';
          alert.identifier = `${BASE}-${suffix}`;
          for (const info of alert.info) info.language = language;
        });
      en.publish(xml('EN', 'en-US'));
      ru.publish(xml('RU', 'ru-RU'));
      for (const [id, partner] of [
        ['kz-en', en],
        ['kz-ru', ru],
      ] as const) {
        await request(test.hub.app)
          .post('/api/v1/feeds')
          .set('authorization', `Bearer ${test.admin}`)
          .send({ id, org: 'kz-mes', type: 'cap-atom', url: partner.url })
          .expect(201);
        await waitForPoll(test, id);
      }
      const alerts = await request(test.hub.app)
        .get('/api/v1/alerts')
        .set('authorization', `Bearer ${test.admin}`)
        .expect(200);
      const items = (alerts.body as { items: { id: string; identifier: string }[] }).items;
      const english = items.find((a) => a.identifier.endsWith('-EN'));
      const editions = await test.hub.feeds.service.editionsOf(english?.id ?? '');
      expect(editions.map((e) => [e.language, e.feedId])).to.deep.equal([
        ['en', 'kz-en'],
        ['ru', 'kz-ru'],
      ]);
      const russian = items.find((a) => a.identifier.endsWith('-RU'));
      expect(editions.map((e) => e.alertId)).to.deep.equal([english?.id, russian?.id]);
    } finally {
      await test.destroy();
      await en.close();
      await ru.close();
    }
  });
});
