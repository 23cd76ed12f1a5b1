/**
 * `ewx cap …`: the CAP library on the command line, for feed owners and operators.
 *
 * - `cap validate FILE... [--json]`: one verdict per file, in order; exit 0 when every file
 *   is valid, 1 otherwise.
 * - `cap geojson FILE`: a GeoJSON FeatureCollection of the areas of every info block (an area
 *   without a usable shape as an unlocated Feature, geometry null).
 */
import { readFile } from 'node:fs/promises';
import { readCapDocument, type CapDocument } from '../../protocols/cap/document.ts';
import { isCapMediaType } from '../../protocols/cap/feed.ts';
import { capAlertGeoJSON, capAreaFeatureProperties } from '../../protocols/cap/geometry.ts';
import { isValid, reason, type Reason } from '../../protocols/cap/reasons.ts';
import { createCapShapeReader } from '../../protocols/cap/shapes.ts';
import { mayHoldSignature, verifyCapSignature } from '../../protocols/cap/signature.ts';
import type { CapReadOptions } from '../../protocols/cap/parse.ts';
import { HubError } from '../../protocols/errors.ts';
import type { CliIo } from './io.ts';

/** One line of `cap validate --json`. */
export interface CapValidateVerdict {
  readonly file: string;
  readonly kind: CapDocument['kind'];
  readonly valid: boolean;
  readonly reasons: Reason[];
}

/** Reads and checks one file: the document's reasons plus what mapping its areas found. */
export async function validateCapFile(
  file: string,
  options: CapReadOptions,
): Promise<CapValidateVerdict> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file,
      kind: 'not-cap',
      valid: false,
      reasons: [reason('FILE_UNREADABLE', '/', message)],
    };
  }
  const shapes = createCapShapeReader();
  const document = readCapDocument(bytes, { ...options, shapes });
  const reasons = [...document.reasons, ...brokenSignature(document, bytes, options)];
  for (const found of document.alerts) {
    if (found.alert === undefined) continue;
    // Geometry findings (repairs, antimeridian splits) are the ones validation does not make.
    const geometry = capAlertGeoJSON(found.alert, found.path, { shapes });
    reasons.push(...geometry.reasons.filter((r) => r.code.startsWith('GEO_')));
  }
  return { file, kind: document.kind, valid: isValid(reasons), reasons };
}

/**
 * The reasons of a signed alert whose signature is broken, misplaced or wrapping — what the hub
 * refuses whatever the sender's policy — so that `cap validate` says what a post would meet.
 * Trust is not judged here (nothing is pinned, SHA-1 allowed): that is `cap verify`'s work.
 */
function brokenSignature(
  document: CapDocument,
  bytes: Uint8Array,
  options: CapReadOptions,
): Reason[] {
  if (document.kind !== 'alert' || !document.valid || !mayHoldSignature(bytes)) return [];
  const report = verifyCapSignature(
    bytes,
    { keys: [], allowSha1: true },
    options.limits === undefined ? {} : { limits: options.limits },
  );
  return report.signature === 'invalid' ? report.reasons.filter((r) => r.level === 'error') : [];
}

function describeKind(verdict: CapValidateVerdict): string {
  switch (verdict.kind) {
    case 'alert':
      return 'CAP alert';
    case 'feed':
      return 'feed';
    case 'edxl':
      return 'EDXL-DE distribution';
    default:
      return 'document';
  }
}

/** The readable report of one verdict. */
export function formatVerdict(verdict: CapValidateVerdict): string {
  const count = (level: Reason['level']): number =>
    verdict.reasons.filter((r) => r.level === level).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head = `${verdict.file}: ${verdict.valid ? 'valid' : 'INVALID'} ${describeKind(verdict)} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')})`;
  const lines = verdict.reasons.map(
    (r) => `  ${r.level.padEnd(7)} ${r.code}  ${r.path}\n          ${r.message}`,
  );
  return [head, ...lines].join('\n');
}

/** `cap validate FILE... [--json]`. Returns the exit code. */
export async function capValidateCommand(
  files: readonly string[],
  json: boolean,
  io: CliIo,
  options: CapReadOptions,
): Promise<number> {
  if (files.length === 0) throw new HubError('CLI_USAGE', 'cap validate needs at least one FILE');
  let allValid = true;
  for (const file of files) {
    const verdict = await validateCapFile(file, options);
    allValid &&= verdict.valid;
    io.out(json ? JSON.stringify(verdict) : formatVerdict(verdict));
  }
  return allValid ? 0 : 1;
}

/** `cap geojson FILE`. Returns the exit code. */
export async function capGeojsonCommand(
  files: readonly string[],
  io: CliIo,
  options: CapReadOptions,
): Promise<number> {
  const [file, ...rest] = files;
  if (file === undefined || rest.length > 0)
    throw new HubError('CLI_USAGE', 'cap geojson takes exactly one FILE');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    io.err(`ewx: FILE_UNREADABLE: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const shapes = createCapShapeReader();
  const document = readCapDocument(bytes, { ...options, shapes });
  const readable = document.alerts.filter((a) => a.alert !== undefined);
  if (readable.length === 0) {
    io.err(`ewx: ${nothingToMap(file, document)}`);
    return 1;
  }
  const features = readable.flatMap((found, alertIndex) => {
    const alert = found.alert;
    if (alert === undefined) return [];
    const located = new Map(
      capAlertGeoJSON(alert, found.path, { shapes }).collection.features.map((f) => [
        `${f.properties.infoIndex}/${f.properties.areaIndex}`,
        f,
      ]),
    );
    const which = readable.length > 1 ? { alertIndex, alertPath: found.path } : {};
    // Every area, in document order: one with no usable shape (geocodes or a description
    // only) is an unlocated Feature (RFC 7946 §3.2: geometry null).
    return alert.info.flatMap((info, infoIndex) =>
      info.area.map((_, areaIndex) => {
        const feature = located.get(`${infoIndex}/${areaIndex}`);
        return {
          type: 'Feature' as const,
          geometry: feature?.geometry ?? null,
          properties: {
            ...(feature?.properties ?? capAreaFeatureProperties(info, infoIndex, areaIndex)),
            ...which,
          },
        };
      }),
    );
  });
  io.out(JSON.stringify({ type: 'FeatureCollection', features }, null, 2));
  // Mapped as read, but an alert that is not valid CAP is said to be so.
  for (const found of readable) {
    const errors = found.reasons.filter((r) => r.level === 'error');
    const first = errors[0];
    if (first !== undefined)
      io.err(
        `ewx: note: ${file}${readable.length > 1 ? ` ${found.path}` : ''} is not valid CAP (${errors.length} error${errors.length === 1 ? '' : 's'}, the first ${first.code} at ${first.path}: ${first.message}); its areas are mapped as read — see cap validate`,
      );
  }
  return 0;
}

/** Why a document gives no map: the first error, or a feed that only links to its alerts. */
function nothingToMap(file: string, document: CapDocument): string {
  const first = document.reasons.find((r) => r.level === 'error');
  if (first !== undefined) return `${first.code}: ${file}: ${first.message}`;
  const { links } = document;
  const [link] = links;
  if (link !== undefined) {
    const n = links.length;
    const typed = links.filter((l) => isCapMediaType(l.type)).length;
    // An RSS item's plain <link> may point at anything (a web page): say so unless its type is CAP's.
    const what =
      typed === n
        ? `link${n === 1 ? '' : 's'} to CAP alerts`
        : `link${n === 1 ? '' : 's'} (to CAP alerts if this is a CAP feed: ${typed === 0 ? (n === 1 ? 'it does not declare' : 'none declares') : `only ${typed} declare`} the CAP media type)`;
    return `CAP_NOT_CAP: ${file}: an index of ${n} ${what}, holding no alert itself: map each linked alert (the first is ${link.href})`;
  }
  return `CAP_NOT_CAP: ${file}: this ${document.kind === 'edxl' ? 'EDXL-DE distribution' : document.kind === 'feed' ? 'feed' : 'document'} holds no CAP alert`;
}
