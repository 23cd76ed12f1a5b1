/**
 * The region a hub serves: its own organisation, the partner organisations with their
 * countries, and neighbours kept for context. Read from `HUB_REGION` (a JSON file) or the
 * built-in Central Asia region.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';

const localized = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), z.string().min(1));
const orgId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes');
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as KZ');

const regionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  hub: z.object({ id: orgId, name: localized }),
  organisations: z
    .array(z.object({ id: orgId, country, name: localized }))
    .min(1)
    .refine(
      (orgs) => new Set(orgs.map((o) => o.id)).size === orgs.length,
      'organisation ids must be unique',
    ),
  neighbours: z.array(country).default([]),
});

/** A partner body (or the hub itself, whose country is null). */
export interface Organisation {
  readonly id: string;
  /** ISO 3166-1 alpha-2; null for the hub. */
  readonly country: string | null;
  readonly name: Readonly<Record<string, string>>;
}

/** The region a hub serves. */
export interface Region {
  readonly id: string;
  readonly name: string;
  readonly hubId: string;
  /** The hub first, then the partners in file order. */
  readonly organisations: readonly Organisation[];
  /** Partner countries (ISO alpha-2). */
  readonly partners: readonly string[];
  readonly neighbours: readonly string[];
}

const builtIn = new URL('./central-asia.json', import.meta.url);

/** Reads and checks a region file; `path` undefined reads the built-in Central Asia region. */
export function loadRegion(path?: string): Region {
  let json: unknown;
  const source = path ?? builtIn.pathname;
  try {
    json = JSON.parse(readFileSync(path ?? builtIn, 'utf8'));
  } catch (cause) {
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: cannot read ${source}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const parsed = regionSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: ${source} is not a valid region file: ${problems.join('; ')}`,
      {
        details: { problems },
      },
    );
  }
  const region = parsed.data;
  if (region.organisations.some((o) => o.id === region.hub.id)) {
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: organisation id "${region.hub.id}" is the hub's own id`,
    );
  }
  return {
    id: region.id,
    name: region.name,
    hubId: region.hub.id,
    organisations: [
      { id: region.hub.id, country: null, name: region.hub.name },
      ...region.organisations,
    ],
    partners: [...new Set(region.organisations.map((o) => o.country))],
    neighbours: region.neighbours,
  };
}
