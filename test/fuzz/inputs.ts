/**
 * What the fuzz campaign sends: seeds from the corpora (google/cap-library's CAP, Atom, RSS and
 * EDXL-DE files; the incident fixtures; observation and log-in bodies) mutated by `mutate-text.ts` and `mutate-json.ts`,
 * each aimed at the route that reads it, with a Content-Type that is usually right.
 *
 * Every input is built so that the hub must refuse it, whatever the mutation did: CAP is posted
 * with a key that may post only for the sender `fuzz.invalid` (a valid alert is still refused,
 * after it was read and validated); an incident report the protocol would accept gets a field
 * the schema refuses; the fuzz organisation has no stations; no password is ever right.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { validateIncidentReport } from '../../protocols/incident/index.ts';
import { applyJsonOp, jsonOp } from './mutate-json.ts';
import { applyTextOp, textOp, type TextOp } from './mutate-text.ts';

/** Where a fuzz input goes. */
export type FuzzTarget = 'cap' | 'incident' | 'thread' | 'observations' | 'session';

/** One request of the campaign. */
export interface FuzzInput {
  readonly target: FuzzTarget;
  readonly method: 'POST';
  readonly path: string;
  readonly contentType: string | null;
  readonly body: Buffer;
}

/** The seeds. */
export interface Seeds {
  readonly xml: readonly string[];
  readonly incidents: readonly unknown[];
  readonly observations: readonly unknown[];
  readonly sessions: readonly unknown[];
  readonly threads: readonly unknown[];
}

const fixtures = new URL('../fixtures/', import.meta.url).pathname;

function filesUnder(dir: string, suffixes: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffixes));
    else if (suffixes.some((s) => name.endsWith(s))) out.push(path);
  }
  return out.sort();
}

/** Reads the seeds from `test/fixtures` (copies of the shared corpora, sources noted there). */
export function loadSeeds(): Seeds {
  const xml = filesUnder(join(fixtures, 'cap'), ['.cap', '.atom', '.rss', '.edxlde', '.xml']).map(
    (file) => readFileSync(file, 'utf8'),
  );
  const incidents = filesUnder(join(fixtures, 'incident'), ['.json'])
    .filter((file) => !file.endsWith('.expected.json'))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as unknown);
  const observations = [
    {
      observations: [
        {
          station: 'kz-boran',
          time: '2026-04-02T06:30:00+06:00',
          parameter: 'water_level',
          value: 530,
          unit: 'cm',
        },
      ],
    },
    {
      observations: [
        {
          station: 'fuzz-gauge',
          time: '2026-04-02T06:30:00Z',
          parameter: 'pm10',
          value: 1200.5,
          unit: 'ug/m3',
        },
        {
          station: 'fuzz-gauge',
          time: '2026-04-02T06:40:00Z',
          parameter: 'pm10',
          value: -1,
          unit: 'ug/m3',
        },
      ],
    },
  ];
  const sessions = [
    { name: 'fuzz-officer', password: 'not-the-password' },
    { name: 'Айгерим Бекова', password: 'x' },
  ];
  const threads = [{ text: { en: 'Pumps arrived', ru: 'Насосы прибыли' } }];
  return { xml, incidents, observations, sessions, threads };
}

const capTypes = [
  'application/xml',
  'text/xml; charset=utf-8',
  'text/plain',
  'application/json',
  '',
  'application/cap+xml; charset=ISO-8859-1',
  'multipart/form-data; boundary=x',
  null,
];
const jsonTypes = [
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  'application/json; charset=latin1',
  null,
];

function contentType(
  right: string,
  others: readonly (string | null)[],
): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(right), weight: 17 },
    { arbitrary: fc.constantFrom(...others), weight: 3 },
  );
}

/** Text edits applied in order; the bytes are UTF-8, or Latin-1 now and then (broken UTF-8). */
function mutatedText(seeds: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc
    .record({
      seed: seeds,
      ops: fc.array(textOp, { minLength: 1, maxLength: 4 }),
      // One body in ten is Latin-1: broken UTF-8 where it has non-ASCII characters.
      latin1: fc.nat(9).map((n) => n === 0),
    })
    .map(({ seed, ops, latin1 }) => {
      const text = ops.reduce(applyTextOp, seed);
      return Buffer.from(text, latin1 ? 'latin1' : 'utf8');
    });
}

/** JSON edits; a quarter of the bodies are then broken as text too. */
function mutatedJson(
  seeds: readonly unknown[],
  refuse: (value: unknown) => unknown,
): fc.Arbitrary<Buffer> {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      ops: fc.array(jsonOp, { minLength: 1, maxLength: 4 }),
      textOps: fc.oneof(
        { arbitrary: fc.constant<TextOp[]>([]), weight: 3 },
        { arbitrary: fc.array(textOp, { minLength: 1, maxLength: 2 }), weight: 1 },
      ),
    })
    .map(({ seed, ops, textOps }) => {
      const value = refuse(ops.reduce(applyJsonOp, seed));
      let text: string;
      try {
        text = JSON.stringify(value ?? null);
      } catch {
        text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      }
      return Buffer.from(textOps.reduce<string>(applyTextOp, text), 'utf8');
    });
}

/** A field no strict schema of the hub accepts. */
function withUnknownField(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...value, fuzzUnknownField: true }
    : value;
}

/** The campaign's inputs: mostly CAP, then incident reports, thread posts, observations, log-ins. */
export function fuzzInputs(
  seeds: Seeds,
  context: { incidentId: string; organisations: readonly string[]; now: () => number },
): fc.Arbitrary<FuzzInput> {
  const input = (
    target: FuzzTarget,
    path: string,
    body: fc.Arbitrary<Buffer>,
    type: fc.Arbitrary<string | null>,
  ) =>
    fc.record({ body, contentType: type }).map(({ body: b, contentType: t }): FuzzInput => ({
      target,
      method: 'POST',
      path,
      contentType: t,
      body: b,
    }));
  // A report the protocol would accept is made unacceptable, so nothing can be stored.
  const refuseReport = (value: unknown): unknown =>
    validateIncidentReport(value, { now: context.now(), organisations: context.organisations }).ok
      ? withUnknownField(value)
      : value;
  return fc.oneof(
    {
      weight: 55,
      arbitrary: input(
        'cap',
        '/api/v1/alerts',
        mutatedText(fc.constantFrom(...seeds.xml)),
        contentType('application/cap+xml', capTypes),
      ),
    },
    {
      weight: 15,
      arbitrary: input(
        'incident',
        '/api/v1/incidents',
        mutatedJson(seeds.incidents, refuseReport),
        contentType('application/json', jsonTypes),
      ),
    },
    {
      weight: 10,
      arbitrary: input(
        'thread',
        `/api/v1/incidents/${context.incidentId}/thread`,
        mutatedJson(seeds.threads, withUnknownField),
        contentType('application/json', jsonTypes),
      ),
    },
    {
      weight: 10,
      arbitrary: input(
        'observations',
        '/api/v1/observations',
        mutatedJson(seeds.observations, (v) => v),
        contentType('application/json', jsonTypes),
      ),
    },
    {
      weight: 10,
      arbitrary: input(
        'session',
        '/api/v1/session',
        mutatedJson(seeds.sessions, (v) => v),
        contentType('application/json', jsonTypes),
      ),
    },
  );
}
