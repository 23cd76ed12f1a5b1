/**
 * UTF-8 documents are parsed as byte text (`utf8ByteText`, `readUtf8ByteText`): whatever that
 * reads must be exactly what reading the decoded text reads — same tree, names, namespaces,
 * paths, attributes and text — and whatever it cannot stand for must go through the text.
 */
import { expect } from 'chai';
import { isHubError } from '../../../protocols/errors.ts';
import { decodeXml, defaultXmlLimits, utf8ByteText } from '../../../protocols/cap/xml-guard.ts';
import {
  parseXmlDocument,
  parseXmlText,
  readUtf8ByteText,
  type XmlElement,
} from '../../../protocols/cap/xml-tree.ts';
import { fixtureBytes, fixturesDir, listFiles } from '../../helpers/fixtures.ts';

interface Tree {
  readonly name: string;
  readonly ns: string;
  readonly path: string;
  readonly attrs: Record<string, string>;
  readonly text: string;
  readonly children: Tree[];
}

function tree(element: XmlElement): Tree {
  return {
    name: element.name,
    ns: element.ns,
    path: element.path,
    attrs: { ...element.attrs },
    text: element.text,
    children: element.children.map(tree),
  };
}

type Outcome = Tree | { code: string; message: string };

/** The tree of a document, or the code and message it is refused with. */
function outcomeOf(read: () => XmlElement): Outcome {
  try {
    return tree(read());
  } catch (error) {
    if (!isHubError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

/** What the library makes of a document, bytes or string (through the bytes when it can). */
const outcome = (input: string | Uint8Array): Outcome => outcomeOf(() => parseXmlDocument(input));

/** What reading the decoded text alone makes of it: the reference. */
const textOutcome = (text: string): Outcome => outcomeOf(() => parseXmlText(decodeXml(text)));

const CAP = 'urn:oasis:names:tc:emergency:cap:1.2';

/** Documents with characters beyond ASCII where XML allows them, and where it does not. */
const crafted: Record<string, string> = {
  'Cyrillic text and attribute values': `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="${CAP}" xml:lang="ru"><identifier>KG-Ш-1</identifier><info>
  <headline lang="ру">Угроза селей &amp; паводков</headline>
  <description><![CDATA[Сели на реках Аламедин, Ала-Арча <и> Иссык-Ата]]></description>
  <area><areaDesc>Чуйская область — ущелья</areaDesc><polygon>42.5,74.5 42.6,74.6 42.5,74.7 42.5,74.5</polygon></area>
</info></alert>`,
  'four-byte characters and Latin-1': '<a b="🌊 Überschwemmung">Ünwetter 🌪️ ½ — «quoted»</a>',
  'Unicode whitespace only, between children and with attributes': `<a>\u00a0<b x="1">\u00a0\u2003</b>\u3000<c>\u00a0</c><d><![CDATA[\u00a0]]></d></a>`,
  'a BOM': '\ufeff<a>Алматы</a>',
  'ASCII-only references': '<a t="&quot;&#65;&#x42;&#0067;">&lt;&gt;&apos;&#10;ы</a>',
  'references beyond ASCII': '<a>&#1064;&#x428;ы &#233;</a>',
  'an HTML entity sax knows': '<a>&nbsp;ы</a>',
  'a reference in CDATA': '<a><![CDATA[&#1064; & ы]]></a>',
  'comments and processing instructions':
    '<?pi данные?><!-- комментарий --><a><!--ы-->б<?x ы?></a><!-- после -->',
  'element names beyond ASCII': '<Шторм><волна высота="3">м</волна></Шторм>',
  'a name with U+00F7, which XML does not allow': '<a÷b>ы</a÷b>',
  'a name with U+00B7 inside': '<a·b>ы</a·b>',
  'a prefixed name beyond ASCII': '<a xmlns:ш="urn:x"><ш:b>ы</ш:b></a>',
  'U+FFFE': '<a>ы\ufffe</a>',
  'U+FFFF in an attribute': '<a b="\uffff">ы</a>',
  'a control character': '<a>ы\u0001</a>',
  'malformed after Cyrillic': '<a>\nы\n<b></a>',
  'text after the root': '<a>ы</a>ы',
  'a second root': '<a>ы</a><b/>',
  'NBSP before the root': '\u00a0<a>ы</a>',
  'nothing but Unicode whitespace': '\u00a0\u2003',
  'a forbidden name': '<a><__proto__>ы</__proto__></a>',
  'a DOCTYPE': '<!DOCTYPE a><a>ы</a>',
};

describe('CAP library: UTF-8 documents read as bytes', () => {
  for (const [name, document] of Object.entries(crafted)) {
    it(`reads ${name} as its text reads`, () => {
      const expected = textOutcome(document);
      expect(outcome(Buffer.from(document, 'utf8'))).to.deep.equal(expected);
      expect(outcome(document)).to.deep.equal(expected);
    });
  }

  it('reads Cyrillic text, attributes, whitespace and references through the bytes', () => {
    for (const name of [
      'Cyrillic text and attribute values',
      'four-byte characters and Latin-1',
      'a BOM',
      'ASCII-only references',
      'comments and processing instructions',
    ]) {
      const bytes = utf8ByteText(Buffer.from(crafted[name] as string, 'utf8'));
      expect(bytes?.ascii, name).to.equal(false);
      const read = readUtf8ByteText(bytes?.text ?? '', defaultXmlLimits);
      expect(read, name).to.not.equal(undefined);
      expect(tree(read as XmlElement), name).to.deep.equal(textOutcome(crafted[name] as string));
    }
  });

  it('leaves to the text what the bytes cannot stand for', () => {
    for (const name of [
      // (Whether xml2js would drop it depends on a CDATA section the tree no longer shows.)
      'Unicode whitespace only, between children and with attributes',
      'references beyond ASCII',
      'an HTML entity sax knows',
      'a reference in CDATA',
      'element names beyond ASCII',
      'a name with U+00B7 inside',
      'a prefixed name beyond ASCII',
      'U+FFFE',
      'U+FFFF in an attribute',
      'malformed after Cyrillic',
      'a second root',
    ]) {
      const bytes = utf8ByteText(Buffer.from(crafted[name] as string, 'utf8'));
      expect(readUtf8ByteText(bytes?.text ?? '', defaultXmlLimits), name).to.equal(undefined);
    }
  });

  it('reads as text a string its UTF-8 bytes would not stand for', () => {
    for (const document of [
      '<a>ы\ud800</a>',
      '<?xml version="1.0" encoding="ISO-8859-1"?><a>ы é</a>',
      '<?xml version="1.0" encoding="windows-1251"?><a b="ы">é</a>',
    ]) {
      expect(outcome(document), document).to.deep.equal(textOutcome(document));
    }
    expect(outcome('<a>ы\ud800</a>')).to.have.property('code', 'XML_INVALID_CHARACTER');
  });

  it('reads every XML fixture as its text reads', () => {
    const files = listFiles(fixturesDir).filter((f) => /\.(xml|cap|atom|rss|edxlde)$/i.test(f));
    expect(files.length).to.be.greaterThan(40);
    let throughBytes = 0;
    for (const file of files) {
      const bytes = fixtureBytes(file);
      let text: string;
      try {
        text = decodeXml(bytes);
      } catch {
        continue;
      }
      expect(outcome(bytes), file).to.deep.equal(textOutcome(text));
      expect(outcome(text), file).to.deep.equal(textOutcome(text));
      const asBytes = utf8ByteText(bytes);
      if (asBytes !== undefined && !asBytes.ascii) {
        if (readUtf8ByteText(asBytes.text, defaultXmlLimits) !== undefined) throughBytes++;
      }
    }
    expect(throughBytes, 'fixtures with characters beyond ASCII read as bytes').to.be.greaterThan(
      0,
    );
  });
});
