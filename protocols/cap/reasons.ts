/**
 * Validation findings as data (google/cap-library style): every check returns reasons
 * `{code, level, path, message}` instead of throwing at the first problem. Only `error`
 * reasons make a message invalid.
 */

/** How serious a reason is. Only `error` makes a document invalid. */
export const ReasonLevel = {
  error: 'error',
  warning: 'warning',
  info: 'info',
} as const;
/** One of {@link ReasonLevel}. */
export type ReasonLevel = (typeof ReasonLevel)[keyof typeof ReasonLevel];

/** One finding about a document. */
export interface Reason {
  /** A code from {@link reasonCatalogue}. */
  readonly code: ReasonCode;
  readonly level: ReasonLevel;
  /** 1-based positional path without namespace prefixes, e.g. `/alert[1]/info[2]/area[1]/polygon[1]`. */
  readonly path: string;
  /** What is wrong, for a person, naming the value when it helps. */
  readonly message: string;
}

interface CatalogueEntry {
  readonly level: ReasonLevel;
  /** The rule, in a few words; shown in the README and used when no better message exists. */
  readonly rule: string;
  /** The google/cap-library reason type this corresponds to, when there is one. */
  readonly google?: string;
}

const e = (rule: string, google?: string): CatalogueEntry =>
  google === undefined ? { level: 'error', rule } : { level: 'error', rule, google };
const w = (rule: string, google?: string): CatalogueEntry =>
  google === undefined ? { level: 'warning', rule } : { level: 'warning', rule, google };
const i = (rule: string, google?: string): CatalogueEntry =>
  google === undefined ? { level: 'info', rule } : { level: 'info', rule, google };

/** Every reason code, with its level and the rule it stands for. */
export const reasonCatalogue = {
  // Refusals before parsing (same codes as the HubError catalogue).
  XML_TOO_LARGE: e('document larger than the byte limit'),
  XML_TOO_DEEP: e('elements nested deeper than the depth limit'),
  XML_TOO_MANY_ELEMENTS: e('more elements than the element limit'),
  XML_DTD_FORBIDDEN: e('DOCTYPE or ENTITY declarations are refused'),
  XML_NUL_BYTE: e('NUL character in the document'),
  XML_INVALID_CHARACTER: e('control character forbidden by XML 1.0'),
  XML_INVALID_ENCODING: e(
    'bytes invalid in the declared encoding (a byte beyond ASCII under a US-ASCII declaration too)',
  ),
  XML_UNSUPPORTED_ENCODING: e('declared encoding not supported'),
  XML_FORBIDDEN_NAME: e('element or attribute named __proto__, constructor or prototype'),
  XML_SYNTAX: e('not well-formed XML'),
  CAP_NOT_CAP: e('not a CAP alert, Atom/RSS feed or EDXL-DE distribution', 'NotCapException'),
  FILE_UNREADABLE: e('the file could not be read (command line only)'),

  // CAP structure (what the schema says).
  CAP_NAMESPACE_MISSING: e('<alert> without the CAP namespace'),
  CAP_MISSING_REQUIRED_ELEMENT: e('a required element is missing', 'MISSING_REQUIRED_ELEMENT'),
  CAP_UNSUPPORTED_ELEMENT: e('element not allowed here', 'UNSUPPORTED_ELEMENT'),
  CAP_INVALID_SEQUENCE: e('elements out of the order the schema requires', 'INVALID_SEQUENCE'),
  CAP_DUPLICATE_ELEMENT: e('a non-repeatable element is repeated', 'DUPLICATE_ELEMENT'),
  CAP_INVALID_CHARACTERS: e('text where only elements are allowed', 'INVALID_CHARACTERS'),
  CAP_FOREIGN_ELEMENT: w('element from another namespace inside CAP (ignored)'),
  CAP_ATTRIBUTE_IGNORED: w('attribute on a CAP element, which CAP has none of (ignored)'),

  // CAP values.
  CAP_INVALID_ENUM_VALUE: e('value not in the CAP enumeration', 'INVALID_ENUM_VALUE'),
  CAP_DEPRECATED_VALUE: w('deprecated value (treated as its successor)'),
  CAP_INVALID_DATE: e('not a CAP dateTime with a numeric time zone offset', 'INVALID_DATE'),
  CAP_DATE_TIMEZONE_LETTER: w('time zone letter such as Z, which CAP forbids'),
  CAP_DATE_UTC_PLUS: w(
    'UTC written +00:00, which CAP writes -00:00 (the time reads the same; said at the first such date)',
  ),
  CAP_INVALID_IDENTIFIER: e(
    'identifier empty or containing space, comma, < or &',
    'INVALID_IDENTIFIER',
  ),
  CAP_INVALID_SENDER: e('sender empty or containing space, comma, < or &', 'INVALID_SENDER'),
  CAP_INVALID_REFERENCES: e(
    'references not a list of sender,identifier,sent triples',
    'INVALID_REFERENCES',
  ),
  CAP_CIRCULAR_REFERENCE: e('the alert references itself', 'CIRCULAR_REFERENCE'),
  CAP_POSTDATED_REFERENCE: w('a reference was sent after this alert', 'POSTDATED_REFERENCE'),
  CAP_REFERENCES_EXPECTED: w(
    'Update, Cancel, Ack and Error messages should reference what they refer to',
  ),
  CAP_INVALID_ADDRESSES: e('addresses with an unbalanced double quote'),
  CAP_ADDRESSES_REQUIRED: e('scope Private requires addresses', 'ADDRESSES_SCOPE_MISMATCH'),
  CAP_RESTRICTION_REQUIRED: e(
    'scope Restricted requires a restriction',
    'RESTRICTION_SCOPE_MISMATCH',
  ),
  CAP_RESTRICTION_SCOPE_MISMATCH: e(
    'restriction used while scope is not Restricted',
    'RESTRICTION_SCOPE_MISMATCH',
  ),
  CAP_INVALID_LANGUAGE: e('language not an RFC 3066 / BCP 47 tag', 'INVALID_LANGUAGE'),
  CAP_INVALID_WEB: e('web not a full absolute URI', 'INVALID_WEB'),
  CAP_INVALID_URI: e('resource uri not a valid URI', 'INVALID_URI'),
  CAP_RELATIVE_URI_MISSING_DEREF_URI: e(
    'relative uri without derefUri',
    'RELATIVE_URI_MISSING_DEREF_URI',
  ),
  CAP_INVALID_DEREF_URI: e('derefUri not base64', 'INVALID_DEREF_URI'),
  CAP_INVALID_MIME_TYPE: e('mimeType not an RFC 2046 type/subtype', 'INVALID_MIME_TYPE'),
  CAP_INVALID_DIGEST: w('digest not a 40-digit hexadecimal SHA-1'),
  CAP_INVALID_VALUE: e('number out of range or not a number', 'INVALID_VALUE'),
  CAP_INVALID_POLYGON: e(
    'polygon: at least 4 lat,lon points, closed, numeric, in range',
    'INVALID_POLYGON',
  ),
  CAP_INVALID_CIRCLE: e('circle: "lat,lon radius" with a radius of 0 or more km', 'INVALID_CIRCLE'),
  CAP_INVALID_AREA: e('ceiling without altitude', 'INVALID_AREA'),
  CAP_INVALID_ALTITUDE_CEILING_RANGE: e('altitude above ceiling', 'INVALID_ALTITUDE_CEILING_RANGE'),
  CAP_TOO_MANY_SHAPES: e('more polygons and circles in one alert than the hub reads (1,000)'),
  CAP_TOO_MANY_REFERENCES: e('more references in one alert than the hub follows (1,000)'),
  CAP_INVALID_VALUE_PAIR: w('valueName/value pair with an empty valueName'),

  // What real feeds get wrong but a person can still use.
  CAP_TEXT_HTML_ENTITIES: w('HTML entities inside text', 'TEXT_CONTAINS_HTML_ENTITIES'),
  CAP_DECLARATION_NOT_FIRST: w(
    'white space before the XML declaration, which XML 1.0 wants first: read here, but a strict XML reader refuses the document',
  ),
  CAP_UNDECLARED_ENTITY: w(
    "an entity XML does not declare (HTML's &nbsp;, &eacute; …): read as its character, but a strict XML reader refuses the document",
  ),
  CAP_TEXT_HTML_TAGS: w('HTML tags inside text', 'TEXT_CONTAINS_HTML_TAGS'),
  CAP_SAME_TEXT_DIFFERENT_LANGUAGE: w(
    'identical text in info blocks of different languages',
    'SAME_TEXT_DIFFERENT_LANGUAGE',
  ),
  CAP_EXPIRES_BEFORE_SENT: w('expires earlier than sent'),
  CAP_EXPIRES_BEFORE_EFFECTIVE: w(
    'expires earlier than effective, or than onset (not in a Cancel, which ends before what it cancels begins)',
  ),
  CAP_SENT_IN_FUTURE: w('sent far in the future'),
  CAP_POLYGON_MANY_VERTICES: w('polygon with thousands of vertices'),
  CAP_POLYGON_REPEATED_POINTS: w(
    'polygon repeating points in a row until a triangle or less is left: hardly the area meant',
  ),
  CAP_CIRCLE_HUGE: w(
    'circle radius over 2,000 km: CAP gives the radius in kilometres; is it written in metres?',
  ),
  CAP_EMPTY_SHAPE: w(
    'empty <polygon> or <circle>: ignored, the area keeps its description and geocodes',
  ),
  CAP_NOT_ACTUAL: w('status Test, Exercise, System or Draft: not a real alert'),
  CAP_EMPTY_VALUE: w('<event> or <areaDesc> empty: nothing to name the hazard or the area by'),
  CAP_NO_INFO: i(
    'message without <info>: no text or area of its own (normal for a Cancel, Ack or Error, which act on what they reference)',
  ),
  CAP_NO_AREA: i('info without <area>: nothing to route geographically'),

  // What the hub's lifecycle found (returned with a stored alert).
  LIFECYCLE_FOREIGN_SENDER: w(
    'an Update or Cancel names an alert of another sender, which stays unchanged',
  ),
  LIFECYCLE_REFERENCE_PARKED: w(
    'an Update or Cancel names an alert the hub has not seen: the reference is kept and applies when that alert arrives',
  ),
  INGEST_ELEMENTS_OUT_OF_ORDER: w(
    "elements out of the schema's order (an error for CAP validators, CAP_INVALID_SEQUENCE): read by name, so stored as meant",
  ),
  LIFECYCLE_SELF_REFERENCE: w(
    'the alert names itself in <references> (an error for CAP validators, CAP_CIRCULAR_REFERENCE): stored, with that reference ignored',
  ),
  LIFECYCLE_EXPIRED_ON_ARRIVAL: w(
    'every <expires> passed before the alert arrived: stored as expired, listed as ended, not as a live warning',
  ),
  LIFECYCLE_DUPLICATE_DIFFERS: w(
    'an alert with the same sender, identifier and sent, stored before, says something else; it is kept and this one is not stored',
  ),

  // What the hub's routing found (returned with a stored alert).
  ROUTING_POINTS_EXCHANGED: w(
    "an area lies outside the issuer's country and would lie in it with each point's latitude and longitude exchanged: CAP writes latitude,longitude; the alert is routed as written",
  ),

  // Geometry derived from areas.
  GEO_RING_REPAIRED: w('self-intersecting polygon repaired into valid geometry'),
  GEO_ANTIMERIDIAN_SPLIT: i('polygon crossing the 180° meridian split into a MultiPolygon'),
  GEO_SIMPLIFIED: i('huge polygon also kept as a simplified copy (`capAreaGeometry`)'),
  GEO_EMPTY_AREA: w('area has no usable polygon or circle'),
  GEO_CIRCLE_WHOLE_EARTH: w(
    'circle reaching over both poles: mapped as the whole Earth (it leaves out only a cap around the antipode of its centre)',
  ),

  // Atom and RSS indexes.
  FEED_UNSUPPORTED_ELEMENT: e('element not allowed in this feed element', 'OTHER'),
  FEED_CAP_OUTSIDE_ENTRY: e('CAP alert placed outside any entry'),
  FEED_ATOM_ID_REQUIRED: e('feed without <id>', 'ATOM_ID_IS_REQUIRED'),
  FEED_ATOM_TITLE_REQUIRED: e('feed without <title>', 'ATOM_TITLE_IS_REQUIRED'),
  FEED_ATOM_UPDATED_REQUIRED: e('feed without <updated>', 'ATOM_UPDATED_IS_REQUIRED'),
  FEED_ATOM_ENTRY_ID_REQUIRED: e('entry without <id>', 'ATOM_ENTRY_ID_IS_REQUIRED'),
  FEED_ATOM_ENTRY_TITLE_REQUIRED: e('entry without <title>', 'ATOM_ENTRY_TITLE_IS_REQUIRED'),
  FEED_ATOM_ENTRY_UPDATED_REQUIRED: e('entry without <updated>', 'ATOM_ENTRY_UPDATED_IS_REQUIRED'),
  FEED_ATOM_ENTRY_NON_UNIQUE_IDS: e('two entries share one <id>', 'ATOM_ENTRY_NON_UNIQUE_IDS'),
  FEED_ATOM_ENTRY_MISSING_CAP_LINK: e(
    'entry with neither embedded CAP nor a link to it',
    'ATOM_ENTRY_MISSING_CAP_LINK',
  ),
  FEED_ATOM_INVALID_DATE: e('Atom date not RFC 3339'),
  FEED_ATOM_AUTHOR_MISSING: i('entries without <author> in a feed without one (RFC 4287 §4.1.2)'),
  FEED_RSS_CHANNEL_REQUIRED: e('rss without <channel>'),
  FEED_RSS_CHANNEL_ELEMENT_MISSING: w('channel without title, link or description'),
  FEED_RSS_ITEM_MISSING_CAP_LINK: e('item without a link to CAP', 'RSS_ITEM_MISSING_CAP_LINK'),
  FEED_RSS_ITEM_TITLE_OR_DESCRIPTION_REQUIRED: e(
    'item with neither title nor description',
    'RSS_ITEM_TITLE_OR_DESCRIPTION_IS_REQUIRED',
  ),
  FEED_RSS_ITEM_GUID_RECOMMENDED: i('item without <guid>', 'RSS_ITEM_GUID_IS_RECOMMENDED'),
  FEED_RSS_PUBDATE_RECOMMENDED: i('channel without <pubDate>', 'RSS_PUBDATE_IS_RECOMMENDED'),
  FEED_RSS_INVALID_DATE: w('pubDate or lastBuildDate not an RFC 822 date (RSS 2.0)'),
  FEED_EMPTY: i('feed without entries'),
  FEED_ENTRY_LINKS_TO_FEED: i(
    'entry linking back to the feed itself (a "no active alerts" placeholder): no CAP to fetch',
  ),

  // EDXL-DE 1.0 distributions.
  EDXL_MISSING_REQUIRED_ELEMENT: e('EDXL-DE element missing'),
  EDXL_UNSUPPORTED_ELEMENT: e('element not allowed in EDXL-DE'),
  EDXL_INVALID_ENUM_VALUE: e('EDXL-DE value not in its enumeration'),
  EDXL_INVALID_DATE: e('EDXL-DE dateTime invalid'),
  EDXL_CONTENT_NOT_CAP: i('content object that is not CAP (ignored)'),
  EDXL_FOREIGN_ELEMENT: w('element from another namespace inside <EDXLDistribution> (ignored)'),
  EDXL_NO_CAP: w('distribution without any CAP alert: nothing to read'),

  // XML signatures (protocols/cap/signature.ts; same codes as the HubError catalogue).
  SIG_INVALID: e('signature broken (alert changed after signing) or malformed'),
  SIG_UNTRUSTED: e('signature intact but made with a key not pinned for the sender'),
  SIG_REFORMATTED: w(
    'signature intact on the alert without the whitespace between its elements: indented after signing',
  ),
  SIG_WEAK_ALGORITHM: e("SHA-1 or an RSA key under 2048 bits, not allowed by the sender's policy"),
  SIG_UNSUPPORTED_ALGORITHM: e('signature, digest or canonicalization algorithm not supported'),
  SIG_WRAPPING: e('signature over a fragment, or ids and transforms that could exclude content'),
  SIG_MISPLACED: e('signature that is not a direct child of the root <alert>'),
  SIG_REQUIRED: e("the sender's policy requires a signature and the alert has none"),
} as const satisfies Record<string, CatalogueEntry>;

/** A code from {@link reasonCatalogue}. */
export type ReasonCode = keyof typeof reasonCatalogue;

/** Builds a reason with the catalogue's level for `code`. */
export function reason(code: ReasonCode, path: string, message?: string): Reason {
  const entry: CatalogueEntry = reasonCatalogue[code];
  return { code, level: entry.level, path, message: message ?? entry.rule };
}

/** True when no reason is an error. */
export function isValid(reasons: readonly Reason[]): boolean {
  return !reasons.some((r) => r.level === 'error');
}

/** The reasons of one level. */
export function reasonsOfLevel(reasons: readonly Reason[], level: ReasonLevel): Reason[] {
  return reasons.filter((r) => r.level === level);
}
