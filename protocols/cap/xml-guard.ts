/**
 * Hardening before any XML parser sees a document: decoding with the declared encoding, then one
 * linear scan that refuses DTDs and entity declarations (so no file or URL is ever resolved),
 * documents over the byte, depth or element limits, NUL and other forbidden control characters,
 * and element or attribute names that could reach an object prototype. Each refusal throws a
 * {@link HubError} with its own code.
 */
import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { HubError } from '../errors.ts';

/** Limits applied before parsing. */
export interface XmlLimits {
  /** Largest accepted document in bytes (UTF-8 bytes for strings). */
  readonly maxBytes: number;
  /** Deepest accepted element nesting (the root is depth 1). */
  readonly maxDepth: number;
  /** Most elements accepted in one document. */
  readonly maxElements: number;
}

/**
 * Defaults: 5 MB; depth 32 (CAP inside EDXL-DE with an XML signature needs about 12);
 * 100,000 elements (a large EDXL-DE or a CAP with thousands of geocodes stays far below).
 */
export const defaultXmlLimits: XmlLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 100_000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const DECLARED_ENCODING = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;
// XML 1.0 §2.2 Char excludes C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex -- matching forbidden control characters is the point
const FORBIDDEN_CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_NAMES = /__proto__|constructor|prototype/;
const FORBIDDEN_ELEMENT = /<\/?(?:[^\s<>/:]+:)?(?:__proto__|constructor|prototype)[\s/>]/;
const FORBIDDEN_ATTRIBUTE =
  /<[^<>]*\s(?:[^\s<>=:]+:)?(?:__proto__|constructor|prototype)\s*=[^<>]*>/;

function utf8Length(text: string): number {
  let bytes = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}

function tooLarge(bytes: number, limits: XmlLimits): HubError {
  return new HubError(
    'XML_TOO_LARGE',
    `document is ${bytes} bytes; the limit is ${limits.maxBytes} bytes`,
    { details: { bytes, maxBytes: limits.maxBytes } },
  );
}

function decoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new HubError(
      'XML_UNSUPPORTED_ENCODING',
      `the XML declaration names encoding "${label}", which cannot be decoded`,
      { details: { encoding: label } },
    );
  }
}

function decodeWith(decoder: TextDecoder, bytes: Uint8Array, label: string): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new HubError('XML_INVALID_ENCODING', `the bytes are not valid ${label}`, {
      cause,
      details: { encoding: label },
    });
  }
}

/**
 * Turns bytes into text: a byte-order mark wins (UTF-8, UTF-16LE/BE), then the encoding named by
 * the XML declaration (ISO-8859-1, windows-1251, KOI8-R … anything the WHATWG Encoding
 * Standard knows), then UTF-8 (XML 1.0 §4.3.3). Strings are taken as already decoded (an
 * unpaired surrogate in one is refused: it is no character).
 * A leading BOM is removed either way.
 */
export function decodeXml(
  input: string | Uint8Array,
  limits: XmlLimits = defaultXmlLimits,
): string {
  if (typeof input === 'string') {
    if (input.length > limits.maxBytes) throw tooLarge(input.length, limits);
    if (input.length * 3 > limits.maxBytes) {
      const bytes = utf8Length(input);
      if (bytes > limits.maxBytes) throw tooLarge(bytes, limits);
    }
    if (!(input as string & { isWellFormed(): boolean }).isWellFormed()) {
      const at = LONE_SURROGATE.exec(input)?.index ?? 0;
      const code = input.charCodeAt(at).toString(16).toUpperCase();
      throw new HubError(
        'XML_INVALID_CHARACTER',
        `unpaired surrogate U+${code} at offset ${at} is not a character (XML 1.0 §2.2)`,
        { details: { offset: at } },
      );
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.length > limits.maxBytes) throw tooLarge(input.length, limits);
  const [b0, b1, b2] = input;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return decodeWith(utf8, input.subarray(3), 'UTF-8');
  }
  if (b0 === 0xff && b1 === 0xfe)
    return decodeWith(decoderFor('utf-16le'), input.subarray(2), 'UTF-16LE');
  if (b0 === 0xfe && b1 === 0xff)
    return decodeWith(decoderFor('utf-16be'), input.subarray(2), 'UTF-16BE');
  if (b0 === 0x3c && b1 === 0x00) return decodeWith(decoderFor('utf-16le'), input, 'UTF-16LE');
  if (b0 === 0x00 && b1 === 0x3c) return decodeWith(decoderFor('utf-16be'), input, 'UTF-16BE');
  const declared = declaredEncoding(input);
  if (declared === undefined || /^utf-?8$/i.test(declared)) return decodeWith(utf8, input, 'UTF-8');
  if (US_ASCII.test(declared)) return decodeAscii(input, declared);
  return decodeWith(decoderFor(declared), input, declared);
}

// The IANA names of US-ASCII (RFC 1345 and the IANA character set registry).
const US_ASCII =
  /^(?:us-?ascii|ascii|ansi_x3\.4-19(?:68|86)|iso-ir-6|iso_646\.irv:1991|iso646-us|us|ibm367|cp367|csascii)$/i;

/**
 * Bytes declared US-ASCII. The Encoding Standard reads that label as windows-1252, so a byte
 * above 0x7F would pass as a Latin letter, where a strict XML parser — a partner's, reading the
 * bytes the hub passes on — refuses the document: it is refused here too, naming the byte.
 */
function decodeAscii(input: Uint8Array, label: string): string {
  const at = input.findIndex((b) => b > 0x7f);
  if (at >= 0) {
    throw new HubError(
      'XML_INVALID_ENCODING',
      `the bytes are not valid ${label}: byte 0x${(input[at] as number).toString(16).toUpperCase()} at offset ${at} is beyond ASCII (declare the encoding the document is written in, such as UTF-8 or ISO-8859-1)`,
      { details: { encoding: label, offset: at } },
    );
  }
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

/** A document's UTF-8 bytes as a one-byte string: see {@link utf8ByteText}. */
export interface Utf8ByteText {
  /** One character per byte (U+0000–U+00FF), the byte-order mark removed. */
  readonly text: string;
  /** Every byte is ASCII: the text is the document's text itself. */
  readonly ascii: boolean;
  /** No byte is a C0 control character other than tab, LF and CR ({@link hasControlByte}). */
  readonly controlFree: boolean;
}

/**
 * Whether some byte is a C0 control character other than tab, LF and CR (NUL included): what
 * XML 1.0 refuses among one-byte characters, found four bytes at a time — a regular expression
 * over the text took about 0.8 ns a character, 116 µs on a 150 KB alert.
 */
export function hasControlByte(bytes: Uint8Array): boolean {
  const isControl = (b: number): boolean => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;
  // Bytes before the first 4-byte boundary, whole words, then the bytes after the last word.
  const start = Math.min((4 - (bytes.byteOffset & 3)) & 3, bytes.length);
  const words = (bytes.length - start) >> 2;
  for (let k = 0; k < start; k++) {
    if (isControl(bytes[k] as number)) return true;
  }
  // (No view without a word: its offset may lie past the end of the buffer.)
  const aligned =
    words === 0 ? undefined : new Uint32Array(bytes.buffer, bytes.byteOffset + start, words);
  for (let k = 0; k < words; k++) {
    const w = (aligned as Uint32Array)[k] as number;
    // Some byte below 0x20 (exact for values up to 0x80: Bit Twiddling Hacks, "hasless").
    if (((w - 0x20202020) & ~w & 0x80808080) !== 0) {
      const at = start + 4 * k;
      for (let b = at; b < at + 4; b++) if (isControl(bytes[b] as number)) return true;
    }
  }
  for (let k = start + 4 * words; k < bytes.length; k++) {
    if (isControl(bytes[k] as number)) return true;
  }
  return false;
}

/**
 * The bytes of a UTF-8 document (by its byte-order mark, or by its declaration or the lack of
 * one, as {@link decodeXml} decides) as a one-byte string, one character per byte, when they are
 * valid UTF-8 and within the byte limit; `undefined` for anything else (other encodings,
 * strings, invalid or oversized bytes: {@link decodeXml} says what is wrong with them).
 *
 * Every character XML gives meaning to is ASCII, and UTF-8 keeps ASCII bytes for ASCII only, so
 * this text has the markup of the document where its text has it; a reader must turn what it
 * takes out of it (names, text, attribute values) back from UTF-8. Why: sax reads a string one
 * `charAt` at a time, which V8 does about 2.5 times faster on one-byte strings, and any
 * character beyond U+00FF (Cyrillic, say) makes the decoded text a two-byte string.
 */
export function utf8ByteText(
  input: string | Uint8Array | undefined,
  limits: XmlLimits = defaultXmlLimits,
): Utf8ByteText | undefined {
  if (input === undefined || typeof input === 'string' || input.length > limits.maxBytes) {
    return undefined;
  }
  const [b0, b1, b2] = input;
  let bytes = input;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) bytes = input.subarray(3);
  else {
    if (b0 === 0xff || b0 === 0xfe || b0 === 0x00 || (b0 === 0x3c && b1 === 0x00)) return undefined;
    const declared = declaredEncoding(input);
    if (declared !== undefined && !/^utf-?8$/i.test(declared)) return undefined;
  }
  const ascii = isAscii(bytes);
  if (!ascii && !isUtf8(bytes)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return { text, ascii, controlFree: !hasControlByte(bytes) };
}

/** The offset of the `>` closing a start tag that has quoted attribute values, or -1. */
function quotedTagEnd(text: string, from: number): number {
  let quote = 0;
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return k;
  }
  return -1;
}

// One attribute of a start tag: white space, its name, `=`, its quoted value.
const ATTRIBUTE = /[ \t\r\n]+([^\s=/>]+)[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*')/y;

/**
 * Throws XML_SYNTAX when the start tag from `at` to `end` (its `>`) gives an attribute twice.
 * XML forbids it (well-formedness constraint "Unique Att Spec"), but sax keeps the first value
 * and drops the second without a word, where xmldom (the signature checker's parser) refuses
 * the document and parsers elsewhere may keep the last: readers of the same bytes disagreed.
 * Only tags with quoted values are looked at, and each attribute once.
 */
function refuseRepeatedAttribute(text: string, at: number, end: number): void {
  ATTRIBUTE.lastIndex = at + 1;
  // Past the element name.
  while (ATTRIBUTE.lastIndex < end && !/[\s/>]/.test(text[ATTRIBUTE.lastIndex] ?? '>'))
    ATTRIBUTE.lastIndex++;
  let first: string | undefined;
  let seen: Set<string> | undefined;
  for (let match = ATTRIBUTE.exec(text); match !== null; match = ATTRIBUTE.exec(text)) {
    if (ATTRIBUTE.lastIndex > end) break;
    const name = match[1] as string;
    if (first === undefined) {
      first = name;
      continue;
    }
    seen ??= new Set([first]);
    if (seen.has(name)) {
      throw new HubError(
        'XML_SYNTAX',
        `not well-formed XML: attribute "${name}" is given twice in the start tag at offset ${at}`,
        { details: { offset: at } },
      );
    }
    seen.add(name);
  }
}

/** Offset of the last character of a terminator found at `found` (or -1 when not found). */
function endOf(found: number, extra: number): number {
  return found < 0 ? -1 : found + extra;
}

/**
 * The encoding named by the XML declaration that starts the bytes, if any. White space before
 * the declaration is skipped: XML 1.0 puts the declaration first, but documents published with
 * a blank line or two before it exist, and their declared encoding is still what they are
 * written in (the parsed document is warned of, `CAP_DECLARATION_NOT_FIRST`).
 */
function declaredEncoding(input: Uint8Array): string | undefined {
  let at = 0;
  while (
    at < 512 &&
    (input[at] === 0x20 || input[at] === 0x09 || input[at] === 0x0a || input[at] === 0x0d)
  )
    at++;
  // "<?xml" — the declaration is ASCII in every ASCII-compatible encoding.
  if (
    input[at] !== 0x3c ||
    input[at + 1] !== 0x3f ||
    input[at + 2] !== 0x78 ||
    input[at + 3] !== 0x6d ||
    input[at + 4] !== 0x6c
  ) {
    return undefined;
  }
  let end = at + 5;
  while (end < input.length && end < at + 512 && input[end] !== 0x3e) end++;
  let head = '';
  for (let k = at; k <= end && k < input.length; k++) head += String.fromCharCode(input[k] ?? 0);
  return DECLARED_ENCODING.exec(head)?.[1];
}

function refuseDtd(at: number): never {
  throw new HubError(
    'XML_DTD_FORBIDDEN',
    'DOCTYPE and ENTITY declarations are refused; nothing was fetched or read',
    { details: { offset: at } },
  );
}

const CHARACTER_REFERENCE = /&#(?:x([\da-fA-F]{1,8})|(\d{1,10}));/y;

/** XML 1.0 §2.2 Char: what a character reference may refer to (§4.1, "Legal Character"). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Refuses the character reference at `at` (found by `&#`) when it refers to what XML forbids
 * (`&#0;`, `&#x1B;`, `&#xD800;`): sax would put the character in the text, past the check of
 * literal characters. Not a reference at all: the parser judges it.
 */
function checkReference(text: string, at: number): void {
  CHARACTER_REFERENCE.lastIndex = at;
  const match = CHARACTER_REFERENCE.exec(text);
  if (match === null) return;
  const [reference, hex, decimal] = match;
  const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
  if (isXmlChar(code)) return;
  throw new HubError(
    'XML_INVALID_CHARACTER',
    `character reference ${reference} at offset ${at} refers to a character XML 1.0 does not allow`,
    { details: { offset: at } },
  );
}

/** Shortest run of character data {@link guardXml} reports as plain (see {@link TextRuns}). */
export const PLAIN_RUN_MIN = 128;

/**
 * Runs of character data inside the root element (between two tags, comments, CDATA sections
 * or processing instructions) that a reader may keep out of the parser's character-by-character
 * loop, as start and end offsets, each list in document order. A document the guard refuses
 * reports nothing usable.
 */
export interface TextRuns {
  /**
   * Runs of {@link PLAIN_RUN_MIN} characters or more with something other than white space in
   * them and no `&` or CR: text a parser passes on exactly as written (a polygon's thousands
   * of coordinates, say).
   */
  readonly plain: number[];
  /**
   * Runs of ASCII white space (space, tab, LF, CR) inside an element that has child elements
   * and no other character data, no CDATA section either: the indentation of a pretty-printed
   * document, which xml2js drops (an element's text that is all white space is no text when
   * the element has children), so the parser need not see it.
   */
  readonly blank: number[];
}

/** What a reader asks of {@link guardXml} beyond its verdict. */
export interface GuardOptions {
  /** Receives the runs of text a reader may keep from the parser ({@link TextRuns}). */
  readonly textRuns?: TextRuns;
  /**
   * The text is one character per byte ({@link utf8ByteText}) and its bytes hold no forbidden
   * control character ({@link Utf8ByteText.controlFree}): the search for one is skipped.
   */
  readonly controlFree?: boolean;
  /**
   * Receives the names of entity references other than XML's five (`&nbsp;`, `&eacute;`, in
   * text or attribute values, not in comments or CDATA sections), each once, at most 10. sax
   * reads HTML's entities as their characters, but XML declares none of them (§4.6): a strict
   * XML reader refuses such a document.
   */
  readonly entities?: string[];
}

const ENTITY_REFERENCE = /&([A-Za-z_:][A-Za-z0-9._:-]*);/y;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Notes the name of the entity reference at `at` (found by `&`) unless XML declares it. */
function noteEntity(text: string, at: number, entities: string[]): void {
  ENTITY_REFERENCE.lastIndex = at;
  const name = ENTITY_REFERENCE.exec(text)?.[1];
  if (name === undefined || XML_ENTITIES.has(name) || entities.length >= 10) return;
  if (!entities.includes(name)) entities.push(name);
}

// Leading white space of a run: a run of nothing else is not plain (see TextRuns).
const LEADING_SPACE = /\s*/y;
// A run of XML's own white space only (see TextRuns).
const BLANK = /[ \t\r\n]*/y;

/**
 * Scans decoded text once and throws a {@link HubError} for anything refused before parsing:
 * XML_NUL_BYTE, XML_INVALID_CHARACTER (a forbidden character, written or referred to),
 * XML_DTD_FORBIDDEN (any `<!` other than a comment or CDATA section), XML_TOO_DEEP,
 * XML_TOO_MANY_ELEMENTS, XML_FORBIDDEN_NAME, and XML_SYNTAX for an attribute given twice in a
 * start tag (which sax does not report). The rest of well-formedness is left to the parser.
 */
export function guardXml(
  text: string,
  limits: XmlLimits = defaultXmlLimits,
  options: GuardOptions = {},
): void {
  const { textRuns, controlFree = false, entities } = options;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new HubError('XML_NUL_BYTE', `NUL character at offset ${nul}`, {
      details: { offset: nul },
    });
  }
  const control = controlFree ? null : FORBIDDEN_CONTROL.exec(text);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new HubError(
      'XML_INVALID_CHARACTER',
      `character U+${code} at offset ${control.index} is not allowed in XML 1.0`,
      { details: { offset: control.index } },
    );
  }
  // Character references are checked in the same pass, outside comments, CDATA sections and
  // processing instructions (where `&#0;` is just text): each `&#` is visited once.
  // With `entities` asked for, every `&` is visited, to find named ones too.
  const needle = entities === undefined ? '&#' : '&';
  let reference = text.indexOf(needle);
  const references = (before: number, resume: number): void => {
    while (reference >= 0 && reference < before) {
      if (text.charCodeAt(reference + 1) === 0x23 /* # */) checkReference(text, reference);
      else if (entities !== undefined) noteEntity(text, reference, entities);
      reference = text.indexOf(needle, reference + 1);
    }
    if (reference >= 0 && reference < resume) reference = text.indexOf(needle, resume);
  };
  let depth = 0;
  let elements = 0;
  let nextDq = 0;
  let nextSq = 0;
  let nextAmp = 0;
  let nextCr = 0;
  // For textRuns.blank: per open element, by depth, its index among the elements, whether it
  // has a child element and whether it holds other character data; the blank runs met so far
  // with the index of their element, and the elements whose blank runs may go.
  const frameElement: number[] = [];
  const frameChild: boolean[] = [];
  const frameMixed: boolean[] = [];
  const blanks: number[] = [];
  const collapsible = new Set<number>();
  // The next `]]>` at or after the text run looked at (see the check below).
  let nextCdataEnd = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text.charCodeAt(at + 1);
    let end: number;
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', at)) end = endOf(text.indexOf('-->', at + 4), 2);
      else if (text.startsWith('<![CDATA[', at)) {
        end = endOf(text.indexOf(']]>', at + 9), 2);
        frameMixed[depth] = true;
      } else refuseDtd(at);
    } else if (next === 0x3f /* ? */) {
      end = endOf(text.indexOf('?>', at + 2), 1);
    } else if (next === 0x2f /* / */) {
      if (textRuns !== undefined && depth > 0 && frameChild[depth] === true && !frameMixed[depth]) {
        collapsible.add(frameElement[depth] as number);
      }
      depth--;
      end = text.indexOf('>', at + 2);
    } else {
      elements++;
      if (elements > limits.maxElements) {
        throw new HubError('XML_TOO_MANY_ELEMENTS', `more than ${limits.maxElements} elements`, {
          details: { maxElements: limits.maxElements },
        });
      }
      // Find the end of the start tag; quoted attribute values may contain '>', so scan
      // quote-aware only when a quote comes before the first '>' (most CAP tags have none).
      // The next quote positions are kept between tags, so the whole scan stays linear.
      end = text.indexOf('>', at + 1);
      if (end >= 0) {
        if (nextDq !== -1 && nextDq <= at) nextDq = text.indexOf('"', at + 1);
        if (nextSq !== -1 && nextSq <= at) nextSq = text.indexOf("'", at + 1);
        if ((nextDq !== -1 && nextDq < end) || (nextSq !== -1 && nextSq < end)) {
          end = quotedTagEnd(text, at + 1);
          if (end >= 0) refuseRepeatedAttribute(text, at, end);
        }
      }
      if (end < 0) return; // unterminated tag: the parser reports the syntax error
      frameChild[depth] = true;
      if (text.charCodeAt(end - 1) !== 0x2f /* / */) {
        depth++;
        frameElement[depth] = elements;
        frameChild[depth] = false;
        frameMixed[depth] = false;
        if (depth > limits.maxDepth) {
          throw new HubError(
            'XML_TOO_DEEP',
            `elements nested deeper than ${limits.maxDepth} levels`,
            { details: { maxDepth: limits.maxDepth, offset: at } },
          );
        }
      }
    }
    if (end < 0) return; // unterminated comment, CDATA or PI: the parser reports it
    if (reference >= 0 && reference < end && (next === 0x21 || next === 0x3f)) {
      references(at, end + 1);
    }
    at = text.indexOf('<', end + 1);
    // XML 1.0 §2.4: `]]>` in character data is not well-formed (it ends CDATA sections only);
    // sax takes it as text, where xmldom and strict readers refuse the document.
    if (nextCdataEnd !== -1 && nextCdataEnd <= end) nextCdataEnd = text.indexOf(']]>', end + 1);
    if (nextCdataEnd !== -1 && (at < 0 || nextCdataEnd < at)) {
      throw new HubError(
        'XML_SYNTAX',
        `not well-formed XML: "]]>" in text at offset ${nextCdataEnd} (XML 1.0 §2.4: it only ends a CDATA section; write ]]&gt;)`,
        { details: { offset: nextCdataEnd } },
      );
    }
    if (textRuns !== undefined && depth > 0 && at > end + 1) {
      const start = end + 1;
      BLANK.lastIndex = start;
      BLANK.test(text);
      if (BLANK.lastIndex >= at) blanks.push(start, at, frameElement[depth] as number);
      else {
        frameMixed[depth] = true;
        if (at - start >= PLAIN_RUN_MIN) {
          if (nextAmp !== -1 && nextAmp < start) nextAmp = text.indexOf('&', start);
          if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
          LEADING_SPACE.lastIndex = start;
          LEADING_SPACE.test(text);
          if (
            (nextAmp === -1 || nextAmp > at) &&
            (nextCr === -1 || nextCr > at) &&
            LEADING_SPACE.lastIndex < at
          ) {
            textRuns.plain.push(start, at);
          }
        }
      }
    }
  }
  if (textRuns !== undefined) {
    for (let k = 0; k < blanks.length; k += 3) {
      if (collapsible.has(blanks[k + 2] as number)) {
        textRuns.blank.push(blanks[k] as number, blanks[k + 1] as number);
      }
    }
  }
  references(text.length, text.length);
  if (
    FORBIDDEN_NAMES.test(text) &&
    (FORBIDDEN_ELEMENT.test(text) || FORBIDDEN_ATTRIBUTE.test(text))
  ) {
    throw new HubError(
      'XML_FORBIDDEN_NAME',
      'an element or attribute is named __proto__, constructor or prototype',
    );
  }
}
