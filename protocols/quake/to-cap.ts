/**
 * An earthquake report as a CAP 1.2 alert: event "Earthquake", category Geo, the magnitude,
 * its type and the depth as `<parameter>`s, and a circle centred on the epicentre whose radius
 * is where shaking of intensity V or more is expected ({@link feltRadiusKm}).
 *
 * The identity is deterministic: the identifier is built from the catalogue, its event id and
 * `sent`, and `sent` is chosen by the caller from the catalogue's own update time, so polling
 * the same version of an event twice gives the same CAP triple (a duplicate at the hub, never a
 * second alert), and a changed version gives a new triple that references the previous one.
 */
import type { CapAlert, CapReference, CapValuePair } from '../cap/model.ts';
import type { QuakeEvent } from './event.ts';
import { feltRadiusKm, type FeltRadiusOptions } from './felt-radius.ts';
import { formatCapInstant } from './time.ts';

/** Options of {@link quakeCapAlert}. */
export interface QuakeCapOptions {
  /** The CAP `<sender>` of the hub (no spaces, commas, < or &). */
  readonly sender: string;
  /** `sent`, epoch ms (truncated to the second); see the module note. */
  readonly sentMs: number;
  /**
   * `Alert` for the first message of an event, `Update` after, `Cancel` when the catalogue
   * withdraws the event (default `Alert`).
   */
  readonly msgType?: 'Alert' | 'Update' | 'Cancel';
  /** The earlier messages an Update replaces (CAP 1.2 §3.2.1 references). */
  readonly references?: readonly CapReference[];
  /** First part of the identifier (default `ewx-quake`). */
  readonly identifierPrefix?: string;
  /** `<senderName>` (default "EWX regional hub"). */
  readonly senderName?: string;
  /** How long after `sent` the alert expires (default 24 h). */
  readonly expiresAfterMs?: number;
  /** Circle radius in km; default from {@link feltRadiusKm} with `felt`. */
  readonly radiusKm?: number;
  readonly felt?: FeltRadiusOptions;
  /** Ids of the same quake in other catalogues (`emsc:20240531_0000123`), named in a parameter. */
  readonly alsoReportedBy?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const catalogueNames: Readonly<Record<string, string>> = { usgs: 'USGS', emsc: 'EMSC' };
// CAP 1.2 §3.2.1: identifiers "MUST NOT include spaces, commas or restricted characters (< and &)".
const UNSAFE_ID = /[^A-Za-z0-9._-]/g;

/** The display name of a catalogue: `USGS`, `EMSC`, otherwise the source in upper case. */
export function catalogueName(source: string): string {
  return catalogueNames[source] ?? source.toUpperCase();
}

/** The CAP identifier of the message about `event` sent at `sentMs`. */
export function quakeCapIdentifier(
  event: Pick<QuakeEvent, 'source' | 'sourceId'>,
  sentMs: number,
  prefix = 'ewx-quake',
): string {
  const id = `${event.source}.${event.sourceId}`.replace(UNSAFE_ID, '_');
  return `${prefix}.${id}.${Math.floor(sentMs / 1000)}`;
}

/** A number with at most `digits` decimals, without trailing zeros. */
function decimal(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** CAP 1.2 §3.2.2 severity from the magnitude: M ≥ 7 Extreme, ≥ 6 Severe, ≥ 5 Moderate, else Minor. */
export function quakeSeverity(magnitude: number): 'Extreme' | 'Severe' | 'Moderate' | 'Minor' {
  if (magnitude >= 7) return 'Extreme';
  if (magnitude >= 6) return 'Severe';
  if (magnitude >= 5) return 'Moderate';
  return 'Minor';
}

function utcText(epochMs: number): string {
  return `${formatCapInstant(epochMs).slice(0, 19).replace('T', ' ')} UTC`;
}

function isWebUrl(url: string | null): url is string {
  return url !== null && /^https?:\/\/\S+$/i.test(url) && URL.canParse(url);
}

/** The CAP 1.2 alert for one earthquake report. */
export function quakeCapAlert(event: QuakeEvent, options: QuakeCapOptions): CapAlert {
  const sent = formatCapInstant(options.sentMs);
  const catalogue = catalogueName(event.source);
  const radius = options.radiusKm ?? feltRadiusKm(event.magnitude, event.depthKm, options.felt);
  const magnitude = decimal(event.magnitude, 2);
  const type = event.magnitudeType.trim();
  const place = event.place?.trim() ?? '';
  const where = place === '' ? `${decimal(event.lat, 3)}, ${decimal(event.lon, 3)}` : place;
  const depth = event.depthKm === null ? null : decimal(event.depthKm, 1);
  const parameter: CapValuePair[] = [{ valueName: 'Magnitude', value: magnitude }];
  if (type !== '') parameter.push({ valueName: 'MagnitudeType', value: type });
  if (depth !== null) parameter.push({ valueName: 'DepthKm', value: depth });
  parameter.push(
    { valueName: 'EventTime', value: formatCapInstant(event.timeMs) },
    { valueName: 'EventIDKey', value: event.sourceId },
    { valueName: 'Catalogue', value: catalogue },
    { valueName: 'ReviewStatus', value: event.status },
  );
  if (options.alsoReportedBy !== undefined && options.alsoReportedBy.length > 0)
    parameter.push({ valueName: 'AlsoReportedBy', value: options.alsoReportedBy.join(' ') });
  const cancelled = options.msgType === 'Cancel';
  const said =
    `A magnitude ${magnitude}${type === '' ? '' : ` (${type})`} earthquake occurred at ` +
    `${utcText(event.timeMs)}, ${where}, epicentre ${decimal(event.lat, 3)}, ${decimal(event.lon, 3)}` +
    `${depth === null ? '' : `, depth ${depth} km`}. Source: ${catalogue} event ${event.sourceId} ` +
    `(${event.status}). The area is where shaking of intensity V (MSK-64) or more is expected.`;
  const description = cancelled
    ? `${catalogue} has withdrawn event ${event.sourceId}; the earlier alert about it is cancelled. It read: ${said}`
    : said;
  const references = options.references ?? [];
  return {
    identifier: quakeCapIdentifier(event, options.sentMs, options.identifierPrefix),
    sender: options.sender,
    sent,
    status: 'Actual',
    msgType: options.msgType ?? 'Alert',
    source: `${catalogue} earthquake catalogue`,
    scope: 'Public',
    code: [],
    ...(references.length > 0
      ? { references: references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ') }
      : {}),
    info: [
      {
        language: 'en',
        category: ['Geo'],
        event: 'Earthquake',
        responseType: cancelled ? ['AllClear'] : [],
        urgency: 'Immediate',
        severity: quakeSeverity(event.magnitude),
        // A reviewed solution is an observation; an automatic one may still move or vanish.
        certainty: event.status === 'reviewed' ? 'Observed' : 'Likely',
        eventCode: [{ valueName: 'SAME', value: 'EQW' }],
        effective: sent,
        onset: formatCapInstant(event.timeMs),
        expires: formatCapInstant(options.sentMs + (options.expiresAfterMs ?? DAY_MS)),
        senderName: options.senderName ?? 'EWX regional hub',
        headline: `${cancelled ? 'Cancelled: ' : ''}M ${decimal(event.magnitude, 1)} earthquake - ${where}`,
        description,
        ...(isWebUrl(event.url) ? { web: event.url } : {}),
        parameter,
        resource: [],
        area: [
          {
            areaDesc: `Within ${decimal(radius, 1)} km of the epicentre, ${where}`,
            polygon: [],
            circle: [`${decimal(event.lat, 4)},${decimal(event.lon, 4)} ${decimal(radius, 1)}`],
            geocode: [],
          },
        ],
      },
    ],
  };
}
