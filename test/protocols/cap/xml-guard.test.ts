import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHubError } from '../../../protocols/errors.ts';
import { readCapDocument } from '../../../protocols/cap/document.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import { decodeXml, guardXml, hasControlByte } from '../../../protocols/cap/xml-guard.ts';
import {
  parseXmlDocument,
  parseXmlText,
  type XmlElement,
} from '../../../protocols/cap/xml-tree.ts';
import { buildCap } from '../../../protocols/cap/build.ts';
import { validAlert } from '../../helpers/cap.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';

function refusal(
  input: string | Uint8Array,
  limits?: Parameters<typeof parseXmlDocument>[1],
): string {
  try {
    parseXmlDocument(input, limits);
  } catch (error) {
    if (isHubError(error)) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('XML hardening', () => {
  describe('refusals, each with its own code', () => {
    it('refuses a DOCTYPE', () => {
      expect(refusal('<!DOCTYPE alert><alert/>')).to.equal('XML_DTD_FORBIDDEN');
    });
    it('refuses an ENTITY declaration even without a DOCTYPE keyword', () => {
      expect(refusal('<!ENTITY x "y"><alert/>')).to.equal('XML_DTD_FORBIDDEN');
    });
    it('refuses xee.cap and xee.atom with the DTD code', () => {
      for (const file of ['xee.cap', 'xee.atom']) {
        const document = readCapDocument(fixtureBytes(`cap/google-cap-library/testdata/${file}`));
        expect(document.valid).to.equal(false);
        expect(document.reasons.map((r) => r.code)).to.deep.equal(['XML_DTD_FORBIDDEN']);
      }
    });
    it('labels a refused document by its root without parsing it', () => {
      expect(
        readCapDocument(fixtureBytes('cap/google-cap-library/testdata/xee.cap')).kind,
      ).to.equal('alert');
      expect(
        readCapDocument(fixtureBytes('cap/google-cap-library/testdata/xee.atom')).kind,
      ).to.equal('feed');
    });
    it('accepts "<!DOCTYPE" inside a comment or CDATA, where it is only text', () => {
      expect(refusal('<a><!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE html>]]></a>')).to.equal(
        'accepted',
      );
    });
    it('refuses documents over the byte limit, for bytes and for strings', () => {
      expect(
        refusal(new Uint8Array(2000).fill(0x20), {
          maxBytes: 1000,
          maxDepth: 32,
          maxElements: 100,
        }),
      ).to.equal('XML_TOO_LARGE');
      expect(
        refusal(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1000, maxDepth: 32, maxElements: 100 }),
      ).to.equal('XML_TOO_LARGE');
      // 400 Cyrillic letters are 800 UTF-8 bytes: over a 500-byte limit though only 400 characters.
      expect(
        refusal(`<a>${'ж'.repeat(400)}</a>`, { maxBytes: 500, maxDepth: 32, maxElements: 100 }),
      ).to.equal('XML_TOO_LARGE');
    });
    it('refuses nesting deeper than the limit', () => {
      expect(refusal('<a>'.repeat(40))).to.equal('XML_TOO_DEEP');
      expect(refusal(`${'<a>'.repeat(10)}${'</a>'.repeat(10)}`)).to.equal('accepted');
    });
    it('counts depth right when quoted attribute values hold > or />', () => {
      expect(refusal(`<r>${'<a x=">" y=\'/>\'>'.repeat(40)}`)).to.equal('XML_TOO_DEEP');
      expect(refusal(`<r>${'<a x="/>"/>'.repeat(40)}</r>`)).to.equal('accepted');
    });
    it('refuses more elements than the limit', () => {
      expect(
        refusal(`<r>${'<a/>'.repeat(200)}</r>`, { maxBytes: 1e6, maxDepth: 32, maxElements: 100 }),
      ).to.equal('XML_TOO_MANY_ELEMENTS');
    });
    it('refuses a NUL character', () => {
      expect(refusal('<a>\u0000</a>')).to.equal('XML_NUL_BYTE');
      expect(refusal(new Uint8Array([0x3c, 0x61, 0x3e, 0x00, 0x3c, 0x2f, 0x61, 0x3e]))).to.equal(
        'XML_NUL_BYTE',
      );
    });
    it('refuses other control characters XML 1.0 forbids', () => {
      expect(refusal('<a>\u0007</a>')).to.equal('XML_INVALID_CHARACTER');
    });
    it('refuses bytes that are not valid UTF-8', () => {
      expect(
        refusal(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])),
      ).to.equal('XML_INVALID_ENCODING');
    });
    it('refuses a byte beyond ASCII in a document declared US-ASCII, and reads one that has none', () => {
      const declared = (name: string, body: Uint8Array): Uint8Array =>
        Buffer.concat([
          Buffer.from(`<?xml version="1.0" encoding="${name}"?><a>`),
          body,
          Buffer.from('</a>'),
        ]);
      // "é" in Latin-1: a strict parser refuses it under US-ASCII; the Encoding Standard would
      // have read it as windows-1252.
      for (const name of ['US-ASCII', 'ascii', 'ANSI_X3.4-1968', 'iso646-us']) {
        const bytes = declared(name, Buffer.from([0x43, 0x61, 0x66, 0xe9]));
        expect(refusal(bytes), name).to.equal('XML_INVALID_ENCODING');
        let message = '';
        try {
          decodeXml(bytes);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).to.contain(`byte 0xE9 at offset ${bytes.indexOf(0xe9)} is beyond ASCII`);
        expect(decodeXml(declared(name, Buffer.from('Almaty &#233;')))).to.contain(
          '<a>Almaty &#233;</a>',
        );
      }
    });
    it('refuses an encoding it cannot decode', () => {
      expect(refusal(Buffer.from('<?xml version="1.0" encoding="x-made-up"?><a/>'))).to.equal(
        'XML_UNSUPPORTED_ENCODING',
      );
    });
    it('refuses character references to characters XML forbids, outside literal sections', () => {
      const codes = (document: string): string[] =>
        [readCap(document), readCap(Buffer.from(document, 'utf8'))].map(
          (result) => result.reasons[0]?.code ?? 'none',
        );
      for (const reference of ['&#0;', '&#x1B;', '&#8;', '&#xD800;', '&#xFFFE;', '&#x110000;']) {
        for (const document of [
          `<a>Алматы ${reference}</a>`,
          `<a b="x${reference}">y</a>`,
          `<a><![CDATA[&#0;]]><!-- &#0; -->${reference}<![CDATA[y]]></a>`,
        ]) {
          expect(codes(document), document).to.deep.equal([
            'XML_INVALID_CHARACTER',
            'XML_INVALID_CHARACTER',
          ]);
        }
      }
      const fine = (document: string): void => {
        expect(
          codes(document).filter((code) => code.startsWith('XML_')),
          document,
        ).to.deep.equal([]);
      };
      fine('<a>&#10;&#x9;&#1064;&#x1F30A;&#xFFFD;</a>');
      fine('<a><![CDATA[&#0; is text here]]></a>');
      fine('<a><!-- &#0; --><?pi &#x1B;?>b</a>');
    });

    it('refuses element and attribute names that could reach a prototype', () => {
      expect(refusal('<a><__proto__><polluted>1</polluted></__proto__></a>')).to.equal(
        'XML_FORBIDDEN_NAME',
      );
      expect(refusal('<a><cap:constructor xmlns:cap="x"/></a>')).to.equal('XML_FORBIDDEN_NAME');
      expect(refusal('<a __proto__="x"/>')).to.equal('XML_FORBIDDEN_NAME');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
    it('keeps the words in text content', () => {
      expect(refusal('<a>the constructor of the prototype used __proto__</a>')).to.equal(
        'accepted',
      );
    });
    it('answers malformed XML with XML_SYNTAX and a position', () => {
      const result = readCap('<alert><identifier>x</alert>');
      expect(result.reasons[0]?.code).to.equal('XML_SYNTAX');
      expect(result.reasons[0]?.message).to.match(/line 1/);
    });

    it('says where a document deep in its lines breaks', () => {
      const result = readCap('<alert>\n  <identifier>x</identifier>\n  <sender>y</alert>\n');
      expect(result.reasons[0]?.code).to.equal('XML_SYNTAX');
      expect(result.reasons[0]?.message).to.match(/at line 3, column 19\b/);
    });

    it('refuses what follows the root element, which xml2js alone drops unheard', () => {
      const alert = fs.readFileSync(
        new URL('../../../bench/fixtures/typical-alert.xml', import.meta.url),
        'utf8',
      );
      const body = alert.replace(/^<\?xml[^>]*>/, '');
      for (const [document, message] of [
        [`${alert}\n${body}`, /Second root element <alert>/],
        [`${alert}trailing words`, /Text data outside of root node/],
        [`${alert}\n<!-- a comment -->\n<?pi after?>\n`, undefined],
      ] as const) {
        const reasons = readCap(document).reasons;
        if (message === undefined) expect(reasons).to.deep.equal([]);
        else {
          expect(reasons[0]?.code).to.equal('XML_SYNTAX');
          expect(reasons[0]?.message).to.match(message);
        }
      }
    });

    it('refuses an attribute given twice in one start tag, which sax would drop unheard', () => {
      const alert = fs.readFileSync(
        new URL('../../../bench/fixtures/typical-alert.xml', import.meta.url),
        'utf8',
      );
      expect(readCap(alert).valid).to.equal(true);
      for (const [document, name] of [
        // A second default namespace: sax keeps the first, xmldom (signatures) the last.
        [alert.replace(/<alert xmlns="([^"]+)"/, '<alert xmlns="$1" xmlns="urn:other"'), 'xmlns'],
        [alert.replace('<alert ', `<alert lang='en'\n  lang="ru" `), 'lang'],
        ['<r><a x="1" y=">" z="2" y="3"/></r>', 'y'],
        [
          `<r><a ${Array.from({ length: 5000 }, (_, k) => `a${k}="v"`).join(' ')} a0="w"/></r>`,
          'a0',
        ],
      ] as const) {
        for (const input of [document, Buffer.from(document, 'utf8')]) {
          const reasons = readCap(input).reasons;
          expect(reasons[0]?.code).to.equal('XML_SYNTAX');
          expect(reasons[0]?.message).to.contain(`attribute "${name}" is given twice`);
        }
      }
      // The same name in two tags, or inside a value, is fine.
      expect(refusal('<r a="1" b="a=&quot;1&quot;"><s a="1" b=\'a="2" a="3"\'/></r>')).to.equal(
        'accepted',
      );
    });

    it('reads each document on its own, whatever the one before it did', () => {
      const good = fs.readFileSync(
        new URL('../../../bench/fixtures/typical-alert.xml', import.meta.url),
      );
      const expected = readCap(good);
      expect(expected.valid).to.equal(true);
      for (const broken of [
        '<alert><identifier>x</alert>',
        '<alert/>text after the root',
        '<alert></alert><second/>',
        '   ',
      ]) {
        expect(readCap(broken).reasons[0]?.code, broken).to.equal('XML_SYNTAX');
        expect(readCap(good)).to.deep.equal(expected);
      }
    });
  });

  describe('decoding', () => {
    it('reads UTF-8 with and without a BOM', () => {
      const body = '<a>Алматы</a>';
      expect(decodeXml(Buffer.from(body))).to.equal(body);
      expect(
        decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)])),
      ).to.equal(body);
      expect(decodeXml(`\ufeff${body}`)).to.equal(body);
    });
    it('honours a declared ISO-8859-1 and windows-1251', () => {
      const latin1 = Buffer.from(
        '<?xml version="1.0" encoding="ISO-8859-1"?><a>Usulut\u00e1n</a>',
        'latin1',
      );
      expect(decodeXml(latin1)).to.contain('Usulután');
      const cp1251 = Buffer.from([
        ...Buffer.from('<?xml version="1.0" encoding="windows-1251"?><a>'),
        0xc0,
        0xeb,
        0xec,
        0xe0,
        0xf2,
        0xfb,
        ...Buffer.from('</a>'),
      ]);
      expect(decodeXml(cp1251)).to.contain('Алматы');
    });
    it('honours the declared encoding of a document with blank lines before its declaration, and warns', () => {
      // As Tanzania's meteorological agency published an alert: two newlines, then <?xml.
      const declaration = '<?xml version="1.0" encoding="ISO-8859-1"?>';
      const latin1 = Buffer.from(`\n\n${declaration}<a>Usulut\u00e1n</a>`, 'latin1');
      expect(decodeXml(latin1)).to.contain('Usulután');
      const alert = Buffer.from(
        `\r\n ${buildCap(validAlert())
          .replace(/^<\?xml[^>]*\?>/, declaration)
          .replace('Alamedin district', 'Alamedin d\u00e9trict')}`,
        'latin1',
      );
      for (const read of [readCap(alert), readCapDocument(alert)]) {
        expect(read.valid).to.equal(true);
        const warned = read.reasons.filter((r) => r.code === 'CAP_DECLARATION_NOT_FIRST');
        expect(warned.map((r) => [r.level, r.path])).to.deep.equal([['warning', '/']]);
        expect(warned[0]?.message).to.match(/^3 characters of white space come before/);
      }
      expect(readCap(alert).alert?.info[0]?.area[0]?.areaDesc).to.contain('détrict');
      // Nothing to say of white space before a root element without a declaration (XML's
      // Misc), nor of a document that starts with its declaration.
      const plain = buildCap(validAlert());
      for (const text of [`\n\n${plain.replace(/^<\?xml[^>]*\?>\s*/, '')}`, plain])
        expect(readCap(text).reasons.map((r) => r.code)).to.not.include(
          'CAP_DECLARATION_NOT_FIRST',
        );
    });
    it('reads UTF-16 with a BOM', () => {
      const utf16 = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('<a>Бішкек</a>', 'utf16le'),
      ]);
      expect(decodeXml(utf16)).to.equal('<a>Бішкек</a>');
    });
  });

  describe('namespace scopes', () => {
    it('binds each prefix to its nearest declaration, shadowed and restored', () => {
      const root = parseXmlDocument(
        '<r xmlns="urn:a" xmlns:p="urn:p"><p:x/><c xmlns="urn:b"><y/><p:z xmlns:p="urn:q"><p:v/></p:z><p:u/></c><w/><xml:t/><q:s/></r>',
      );
      const seen: string[] = [];
      const walk = (e: XmlElement): void => {
        seen.push(`${e.path} ${e.ns}`);
        e.children.forEach(walk);
      };
      walk(root);
      expect(seen).to.deep.equal([
        '/r[1] urn:a',
        '/r[1]/x[1] urn:p',
        '/r[1]/c[1] urn:b',
        '/r[1]/c[1]/y[1] urn:b',
        '/r[1]/c[1]/z[1] urn:q',
        '/r[1]/c[1]/z[1]/v[1] urn:q',
        '/r[1]/c[1]/u[1] urn:p',
        '/r[1]/w[1] urn:a',
        '/r[1]/t[1] http://www.w3.org/XML/1998/namespace',
        '/r[1]/s[1] ',
      ]);
    });

    it('reads thousands of declarations on the root and on every child', () => {
      // Copying the scope into every declaring element made this quadratic (22 s for 640 KB).
      const decls = Array.from({ length: 3000 }, (_, k) => `xmlns:p${k}="urn:x${k}"`).join(' ');
      const kids = '<p7:a xmlns:q="urn:q"/>'.repeat(3000);
      const root = parseXmlDocument(`<r xmlns="urn:r" ${decls}>${kids}</r>`);
      expect(root.children).to.have.length(3000);
      expect(root.children.every((c) => c.ns === 'urn:x7')).to.equal(true);
    });
  });

  describe('a DTD attack touches neither the network nor the file system', () => {
    let canary: Server;
    let connections = 0;
    let port = 0;
    const fifo = join(tmpdir(), `ewx-xee-${process.pid}.fifo`);
    const secret = join(tmpdir(), `ewx-xee-${process.pid}.txt`);

    before(async () => {
      canary = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
      const address = canary.address();
      port = typeof address === 'object' && address !== null ? address.port : 0;
      fs.writeFileSync(secret, 'secret');
      // Opening a FIFO for reading blocks until a writer comes: any attempt to read it hangs the test.
      execFileSync('mkfifo', [fifo]);
    });
    after(async () => {
      await new Promise<void>((resolve) => canary.close(() => resolve()));
      fs.rmSync(fifo, { force: true });
      fs.rmSync(secret, { force: true });
    });

    it('refuses xee-style documents without connecting or opening anything', () => {
      const opened: string[] = [];
      const originals = { openSync: fs.openSync, readFileSync: fs.readFileSync, open: fs.open };
      const spy = (name: string) => (path: unknown) => {
        opened.push(`${name} ${String(path)}`);
      };
      const attack = `<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:${port}/style.xsl"?>
<!DOCTYPE alert PUBLIC "-//A/B/EN" "http://127.0.0.1:${port}/payload1.dtd" [
  <!ENTITY % remote SYSTEM "http://127.0.0.1:${port}/payload2">
  <!ENTITY xxe SYSTEM "file://${secret}">
  <!ENTITY fifo SYSTEM "file://${fifo}">
  %remote;
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;&fifo;</identifier>
<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:${port}/1"/></x></alert>`;
      try {
        // Watch the CommonJS fs object every dependency shares.
        (fs as { openSync: unknown }).openSync = (...args: unknown[]) => {
          spy('openSync')(args[0]);
          return (originals.openSync as (...a: unknown[]) => number)(...args);
        };
        (fs as { readFileSync: unknown }).readFileSync = (...args: unknown[]) => {
          spy('readFileSync')(args[0]);
          return (originals.readFileSync as (...a: unknown[]) => unknown)(...args);
        };
        (fs as { open: unknown }).open = (...args: unknown[]) => {
          spy('open')(args[0]);
          return (originals.open as (...a: unknown[]) => unknown)(...args);
        };
        const result = readCap(attack);
        expect(result.reasons.map((r) => r.code)).to.deep.equal(['XML_DTD_FORBIDDEN']);
        expect(readCapDocument(attack).valid).to.equal(false);
      } finally {
        Object.assign(fs, originals);
      }
      expect(opened).to.deep.equal([]);
    });

    it('saw no connection on the canary', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connections).to.equal(0);
    });
  });

  it('finds a forbidden control byte wherever it stands, four bytes at a time or not', () => {
    // eslint-disable-next-line no-control-regex -- the characters looked for
    const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
    const backing = Buffer.alloc(64, 0x41);
    let checked = 0;
    for (let offset = 0; offset < 4; offset++) {
      for (let length = 0; length <= 13; length++) {
        for (let at = 0; at < length; at++) {
          for (let value = 0; value < 256; value++) {
            const bytes = backing.subarray(offset, offset + length);
            bytes.fill(0x41);
            bytes[at] = value;
            const expected = forbidden.test(bytes.toString('latin1'));
            if (hasControlByte(bytes) !== expected) {
              expect.fail(`byte ${value} at ${at} of ${length} (offset ${offset}): ${expected}`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).to.equal(4 * 91 * 256);
    // A few bytes at the very end of their buffer, off a 4-byte boundary.
    const tail = new ArrayBuffer(10);
    new Uint8Array(tail).fill(0x41);
    for (let offset = 5; offset < 10; offset++) {
      expect(hasControlByte(new Uint8Array(tail, offset)), `offset ${offset}`).to.equal(false);
    }
    expect(hasControlByte(new Uint8Array(tail, 10))).to.equal(false);
    expect(hasControlByte(Buffer.from('<a>\t\r\n x\u00e9\u2028</a>'))).to.equal(false);
  });

  it('refuses a control character in bytes as in text, at the same offset', () => {
    const message = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        if (isHubError(error)) return `${error.code}: ${error.message}`;
      }
      return 'accepted';
    };
    for (const c of ['\u0001', '\u001f', '\u000b', '\u0000']) {
      for (const text of [`<a>${'x'.repeat(300)}${c}</a>`, `<a>ы${'x'.repeat(300)}${c}</a>`]) {
        const asText = message(() => parseXmlText(text));
        expect(message(() => parseXmlDocument(Buffer.from(text)))).to.equal(asText);
        expect(asText).to.match(/^(XML_INVALID_CHARACTER|XML_NUL_BYTE): .* at offset 30[34]/);
      }
    }
  });

  it('refuses ]]> in text, as XML 1.0 does, and only there', () => {
    for (const xml of ['<a>x ]]> y</a>', '<a><b/>]]></a>', '<a><![CDATA[c]]>]]></a>']) {
      expect(refusal(xml), xml).to.equal('XML_SYNTAX');
      expect(refusal(Buffer.from(xml.replace('x', 'ы'))), xml).to.equal('XML_SYNTAX');
    }
    for (const xml of [
      '<a><![CDATA[x]]></a>',
      '<a b="]]>">x</a>',
      '<a><!-- ]]> -->x</a>',
      '<a><?pi ]]>?>x</a>',
      '<a>]]&gt; ]] > ]></a>',
    ]) {
      expect(refusal(xml), xml).to.equal('accepted');
    }
    expect(() => parseXmlDocument('<a>x ]]> y</a>')).to.throw(
      'not well-formed XML: "]]>" in text at offset 5 (XML 1.0 §2.4: it only ends a CDATA section; write ]]&gt;)',
    );
  });

  it('guardXml accepts a real alert', () => {
    expect(() =>
      guardXml(fixtureBytes('cap/google-cap-library/testdata/canada.cap').toString('utf8')),
    ).to.not.throw();
  });
});
