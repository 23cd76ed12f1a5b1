import { expect } from 'chai';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { buildCapAtomIndex, capAtomIndexEntry } from '../../../protocols/cap/feed-index.ts';
import { validAlert } from '../../helpers/cap.ts';

describe('buildCapAtomIndex', () => {
  it('writes an index the feed rules accept, linking each CAP message', () => {
    const alert = validAlert();
    const second = { ...validAlert(), identifier: 'second', sent: '2026-04-02T08:00:00+06:00' };
    const xml = buildCapAtomIndex(
      { id: 'urn:ewx:feed:alerts', title: 'EWX alerts', selfHref: 'http://hub/feeds/alerts.atom' },
      [
        capAtomIndexEntry(alert, 'http://hub/api/v1/alerts/1/cap'),
        capAtomIndexEntry(second, 'http://hub/api/v1/alerts/2/cap'),
      ],
    );
    const document = readCapDocument(xml);
    expect(document.kind).to.equal('feed');
    expect(document.reasons.filter((r) => r.level !== 'info')).to.deep.equal([]);
    expect(document.links.map((l) => [l.href, l.type])).to.deep.equal([
      ['http://hub/api/v1/alerts/1/cap', 'application/cap+xml'],
      ['http://hub/api/v1/alerts/2/cap', 'application/cap+xml'],
    ]);
    expect(xml).to.contain('<updated>2026-04-02T08:00:00+06:00</updated>');
  });

  it('writes a valid empty index', () => {
    const document = readCapDocument(buildCapAtomIndex({ id: 'urn:ewx:feed:kz', title: 'KZ' }, []));
    expect(document.valid).to.equal(true);
    expect(document.reasons.map((r) => r.code)).to.deep.equal(['FEED_EMPTY']);
  });

  it('uses the CAP triple as a stable entry id', () => {
    expect(capAtomIndexEntry(validAlert(), 'x').id).to.equal(
      'urn:cap:cap%40mes.gov.kg,2.49.0.0.417.0.KG.260402063000.1,2026-04-02T06:30:00+06:00',
    );
  });

  it('embeds nothing but links, so the index stays small', () => {
    const xml = buildCapAtomIndex({ id: 'i', title: 't' }, [
      capAtomIndexEntry(validAlert(), 'http://hub/a.cap'),
    ]);
    expect(xml).to.not.contain('<alert');
  });
});
