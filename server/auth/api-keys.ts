/**
 * API keys of machine clients: 256 random bits, shown once, stored as SHA-256 (a fast hash is
 * right for keys this random; people's passwords get scrypt). Scoped to an organisation, a set
 * of actions and, optionally, the CAP senders the key may post for and the stations it may
 * submit observations for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HubError } from '../../protocols/errors.ts';
import { newId } from '../ids.ts';
import { stationInputSchema } from '../sensors/station-input.ts';
import type { ApiKeyRecord, HubStore } from '../store/ports.ts';

/** What a key may do. */
export const ApiScope = {
  capSubmit: 'cap:submit',
  alertsRead: 'alerts:read',
  /** Acknowledge alerts for the organisation (officers' consoles, automated receivers). */
  alertsAck: 'alerts:ack',
  quarantineRead: 'quarantine:read',
  /** Read incident reports shared with the organisation, their attachments and exports. */
  incidentsRead: 'incidents:read',
  /** Report incidents, update them, post, offer, answer offers, acknowledge and attach. */
  incidentsWrite: 'incidents:write',
  /** Submit observations of the organisation's own stations (`POST /api/v1/observations`). */
  observationsSubmit: 'observations:submit',
  /** Approve and reject drafts of hub CAP (hub issuers; `POST /api/v1/drafts/:id/approve`). */
  draftsApprove: 'drafts:approve',
  admin: 'admin',
} as const;
/** One of {@link ApiScope}. */
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];

const knownScopes = new Set<string>(Object.values(ApiScope));

/** SHA-256 of a key, hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new random key: `ewx_` and 43 base64url characters. */
export function generateApiKey(): string {
  return `ewx_${randomBytes(32).toString('base64url')}`;
}

/** What {@link createApiKey} needs. */
export interface NewApiKey {
  readonly orgId: string;
  readonly scopes: readonly string[];
  /** CAP senders it may post for; null or empty: any. */
  readonly senders?: readonly string[] | null;
  /**
   * Station ids it may submit observations for; undefined or null: every station of its
   * organisation. An empty list is refused (an unset shell variable must not widen a key).
   */
  readonly stations?: readonly string[] | null;
  readonly label?: string | null;
}

/** The station scope of a new key, checked: undefined for every station of the organisation. */
function stationScope(stations: readonly string[] | null | undefined): string[] | undefined {
  if (stations === undefined || stations === null) return undefined;
  if (stations.length === 0)
    throw new HubError(
      'QUERY_INVALID',
      'a station scope needs at least one station id; leave --stations out for every station of the organisation',
    );
  // The ids stations are made with (server/sensors/station-input.ts).
  const invalid = stations.filter((id) => !stationInputSchema.shape.id.safeParse(id).success);
  if (invalid.length > 0)
    throw new HubError(
      'QUERY_INVALID',
      `${invalid.map((id) => JSON.stringify(id)).join(', ')} ${invalid.length === 1 ? 'is not a station id' : 'are not station ids'} (letters, digits, ".", "_" and "-", at most 64)`,
    );
  return [...new Set(stations)];
}

/** Creates and stores a key; returns the key itself (shown once) and its record. */
export async function createApiKey(
  store: HubStore,
  request: NewApiKey,
  nowMs: number = Date.now(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const orgs = await store.listOrganisations();
  if (!orgs.some((o) => o.id === request.orgId)) {
    throw new HubError(
      'ORG_UNKNOWN',
      `no organisation "${request.orgId}"; the region has ${orgs.map((o) => o.id).join(', ')}`,
    );
  }
  const unknown = request.scopes.filter((s) => !knownScopes.has(s));
  if (request.scopes.length === 0 || unknown.length > 0) {
    throw new HubError(
      'QUERY_INVALID',
      request.scopes.length === 0
        ? 'a key needs at least one scope'
        : `unknown scope ${unknown.join(', ')}; known: ${[...knownScopes].join(', ')}`,
    );
  }
  const stations = stationScope(request.stations);
  const key = generateApiKey();
  const senders =
    request.senders === undefined || request.senders === null || request.senders.length === 0
      ? null
      : [...new Set(request.senders)];
  const record: ApiKeyRecord = {
    id: newId('key', nowMs),
    orgId: request.orgId,
    hash: hashApiKey(key),
    scopes: [...new Set(request.scopes)],
    senders,
    createdAt: new Date(nowMs).toISOString(),
    revokedAt: null,
    label: request.label ?? null,
    ...(stations === undefined ? {} : { stations }),
  };
  await store.insertApiKey(record);
  return { key, record };
}
