import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { extractElementXml } from '../../../feeds/cap-atom/embedded-alert.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feeds/cap/${name}`, import.meta.url), 'utf8');

describe('extractElementXml', () => {
  it('cuts the embedded alert out verbatim, adding no declaration it does not use', () => {
    const feed = fixture('weather.atom');
    const [embedded] = readCapDocument(feed).alerts;
    const xml = extractElementXml(feed, embedded?.path ?? '');
    // The feed declares the Atom default namespace and two prefixes; the alert redeclares the
    // default and uses neither prefix, so it is the feed's text unchanged.
    expect(feed).to.contain(xml);
    const alone = readCap(xml ?? '');
    expect(alone.alert).to.deep.equal(embedded?.alert);
    expect(alone.valid).to.equal(embedded?.valid);
  });

  it('keeps a signed alert byte for byte, signature included', () => {
    const feed = fixture('canada_signed.atom');
    const [embedded] = readCapDocument(feed).alerts;
    const xml = extractElementXml(feed, embedded?.path ?? '') ?? '';
    expect(xml).to.contain('<Signature');
    // Only the inherited declarations were added to the start tag; the rest is the feed's text.
    const body = xml.slice(xml.indexOf('>') + 1);
    expect(feed).to.contain(body);
    expect(readCap(xml).alert?.identifier).to.equal(embedded?.alert?.identifier);
    // The same alert published on its own: the cut-out bytes are exactly what was signed.
    const alone = readFileSync(
      new URL('../../fixtures/cap/signed/canada_signed.cap', import.meta.url),
      'utf8',
    );
    expect(alone).to.contain(xml);
  });

  it('adds a declaration the alert inherits and uses', () => {
    const xml =
      '<feed xmlns:cap="urn:cap"><entry><cap:alert><cap:id>1</cap:id></cap:alert></entry></feed>';
    expect(extractElementXml(xml, '/feed[1]/entry[1]/alert[1]')).to.equal(
      '<cap:alert xmlns:cap="urn:cap"><cap:id>1</cap:id></cap:alert>',
    );
  });

  it('counts positions per local name, skipping comments, CDATA and processing instructions', () => {
    const xml =
      '<?xml version="1.0"?><r xmlns:a="urn:a"><!-- <x> --><x/><y><![CDATA[<x>]]></y>' +
      '<?pi <x>?><a:x k=">">two</a:x></r>';
    expect(extractElementXml(xml, '/r[1]/x[2]')).to.equal('<a:x xmlns:a="urn:a" k=">">two</a:x>');
    expect(extractElementXml(xml, '/r[1]/x[1]')).to.equal('<x/>');
    expect(extractElementXml(xml, '/r[1]/x[3]')).to.equal(undefined);
  });
});
