import { expect } from 'chai';
import { readCapDocument } from '../../../protocols/cap/document.ts';

/** An Atom index with `entries` (each the inside of one `<entry>`) and `head` before them. */
function atom(head: string, entries: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://warnings.example/feed.atom</id>
  <title>Warnings</title>
  <updated>2026-04-02T06:30:00+06:00</updated>
  ${head}
  ${entries.map((e) => `<entry>${e}</entry>`).join('\n  ')}
</feed>`;
}

const entry = (n: number, link: string, author = ''): string =>
  `<id>urn:w:${n}</id><title>Warning ${n}</title><updated>2026-04-02T06:30:00+06:00</updated>${author}${link}`;
const capLink = (n: number): string =>
  `<link rel="related" type="application/cap+xml" href="https://warnings.example/${n}.xml"/>`;

const findings = (xml: string): string[] =>
  readCapDocument(xml).reasons.map((r) => `${r.level} ${r.code} ${r.path} ${r.message}`);

describe('protocols/cap/feed: what the feed rules say beyond google/cap-library', () => {
  it('says once when entries have no author and neither has the feed (RFC 4287 §4.1.2)', () => {
    const xml = atom('', [
      entry(1, capLink(1)),
      entry(2, capLink(2), '<author><name>A</name></author>'),
      entry(3, capLink(3)),
    ]);
    expect(readCapDocument(xml).valid).to.equal(true);
    expect(findings(xml)).to.deep.equal([
      'info FEED_ATOM_AUTHOR_MISSING /feed[1] 2 entries have no <author>, nor does the feed: RFC 4287 §4.1.2 requires one of them (the first is /feed[1]/entry[1])',
    ]);
    expect(
      findings(atom('<author><name>Met</name></author>', [entry(1, capLink(1))])),
    ).to.deep.equal([]);
  });

  it('says which links an entry has when none of them is CAP', () => {
    const xml = atom('<author><name>MSB</name></author>', [
      entry(
        1,
        '<link rel="alternate" type="application/atom+xml" href="https://warnings.example/1"/>',
      ),
    ]);
    expect(findings(xml)).to.deep.equal([
      'error FEED_ATOM_ENTRY_MISSING_CAP_LINK /feed[1]/entry[1] the entry has no CAP alert in <content>, and its link (application/atom+xml) is not to CAP: link the alert with type="application/cap+xml"',
    ]);
  });

  it('does not take an entry linking back to the feed itself for a CAP link', () => {
    const xml = atom(
      '<author><name>Met</name></author><link rel="self" href="https://warnings.example/feed.atom"/>',
      [entry(1, '<link href="https://warnings.example/feed.atom"/>')],
    );
    const document = readCapDocument(xml);
    expect(document.valid).to.equal(true);
    expect(document.links).to.deep.equal([]);
    expect(document.reasons.map((r) => `${r.code} ${r.path}`)).to.deep.equal([
      'FEED_ENTRY_LINKS_TO_FEED /feed[1]/entry[1]',
    ]);
  });

  it('warns once about RSS dates that are not RFC 822, counting the others', () => {
    const rss = (date: string) => `<rss version="2.0"><channel>
      <title>Avisos</title><link>https://avisos.example/</link><description>CAP</description>
      <pubDate>${date}</pubDate>
      <item><title>Aviso 1</title><guid>a1</guid><link>https://avisos.example/1.xml</link><pubDate>${date}</pubDate></item>
      <item><title>Aviso 2</title><guid>a2</guid><link>https://avisos.example/2.xml</link><pubDate>${date}</pubDate></item>
    </channel></rss>`;
    expect(findings(rss('2026-08-30T09:02:12+00:00'))).to.deep.equal([
      'warning FEED_RSS_INVALID_DATE /rss[1]/channel[1]/pubDate[1] "2026-08-30T09:02:12+00:00" is not an RFC 822 date such as "Sat, 07 Sep 2002 09:42:31 GMT" (RSS 2.0); 2 more dates like it',
    ]);
    for (const date of [
      'Sun, 30 Aug 2026 09:02:12 GMT',
      '30 Aug 2026 09:02 +0200',
      'Sun, 30 Aug 26 09:02:12 EST',
    ])
      expect(findings(rss(date)), date).to.deep.equal([]);
  });
});
