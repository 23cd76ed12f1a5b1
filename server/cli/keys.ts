/**
 * `ewx keys create|list|rotate|revoke` and `ewx orgs list`: managing machine clients from the
 * command line. The store is prepared the way `npm start` prepares it, so keys can be made
 * before the first start. Key changes are written to the security audit log (actor: the
 * operator's OS account); a running hub drops its key cache within about a second of a
 * revocation made here.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { loadRegion } from '../region/region.ts';
import { createSecurityAudit } from '../security/audit.ts';
import {
  createKey,
  listKeys,
  revokeKey,
  rotateKey,
  type KeyAdminContext,
} from '../security/key-admin.ts';
import { openSecurityStore } from '../security/open-security-store.ts';
import type { KeyListing } from '../security/security-store.ts';
import { openSensorStore } from '../sensors/open-sensors.ts';
import { openStore, prepareStore } from '../store/open-store.ts';
import type { HubStore } from '../store/ports.ts';
import type { CliIo } from './io.ts';

/** Opens and prepares the configured store for one command, then closes it. */
export async function withStore<T>(
  config: Config,
  io: CliIo,
  run: (store: HubStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(config);
  try {
    const written = await prepareStore(store, loadRegion(config.regionFile), config);
    if (written !== null)
      io.err(`ewx: the store was empty; the first admin API key was written to ${written}`);
    return await run(store);
  } finally {
    await store.close();
  }
}

/** The usage lines of `keys list|rotate|revoke`, for the CLI's help. */
export const keysUsage = `  keys list [--org ORG] [--json]  the API keys: ids, labels, scopes, senders, stations,
                                  last use (never the keys themselves)
  keys rotate --id KEY_ID [--grace MINUTES]
                                  a new key with the same scopes, senders and stations
                                  (printed once); the old
                                  one is revoked now, or after the grace period
  keys revoke --id KEY_ID         revoke a key at once`;

/** The operator running the command, as the audit log names them. */
function operatorName(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * Runs `run` with the store, the security store and an audit log written before closing (key
 * and user administration from the command line).
 */
export async function withSecurityAdmin<T>(
  config: Config,
  io: CliIo,
  run: (ctx: KeyAdminContext) => Promise<T>,
): Promise<T> {
  return withStore(config, io, async (store) => {
    const security = await openSecurityStore(store);
    // Nothing in a CLI run is worth counting per minute: entries are written before exit.
    const audit = createSecurityAudit({
      store: security,
      log: createLogger({ logLevel: 'warn' }, { write: (line: string) => io.err(line.trimEnd()) }),
      now: Date.now,
      countPeriodMs: 0,
    });
    try {
      return await run({
        store,
        security,
        audit,
        actor: { kind: 'operator', id: null, name: operatorName() },
        now: Date.now,
      });
    } finally {
      await audit.close();
    }
  });
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The stations of a station scope that are not (yet) the organisation's: another organisation's
 * refuse the key (it could never use them: a typo, or the wrong organisation); unknown ones are
 * answered, for a warning (a station may be added after its key).
 */
async function checkKeyStations(
  config: Config,
  ctx: KeyAdminContext,
  orgId: string,
  stations: readonly string[],
): Promise<string[]> {
  // An unknown organisation is createKey's to refuse (ORG_UNKNOWN).
  if (!(await ctx.store.listOrganisations()).some((o) => o.id === orgId)) return [];
  const sensors = await openSensorStore(ctx.store, loadRegion(config.regionFile));
  const unknown: string[] = [];
  for (const id of stations) {
    const station = await sensors.getStation(id);
    if (station === undefined) unknown.push(id);
    else if (station.orgId !== orgId)
      throw new HubError(
        'QUERY_INVALID',
        `station "${id}" belongs to ${station.orgId}; a key of ${orgId} may submit for ${orgId}'s stations only`,
      );
  }
  return unknown;
}

/**
 * `keys create --org ORG --scopes a,b [--senders a,b] [--stations a,b] [--label TEXT]`: prints
 * the new key once.
 */
export async function keysCreateCommand(
  config: Config,
  options: { org?: string; scopes?: string; senders?: string; stations?: string; label?: string },
  io: CliIo,
): Promise<number> {
  return withSecurityAdmin(config, io, async (ctx) => {
    const orgId = options.org ?? '';
    const stations = options.stations === undefined ? null : list(options.stations);
    const unknown =
      stations === null || stations.length === 0
        ? []
        : await checkKeyStations(config, ctx, orgId, stations);
    const { key, record } = await createKey(ctx, {
      orgId,
      scopes: list(options.scopes),
      senders: list(options.senders),
      stations,
      label: options.label ?? null,
    });
    io.out(key);
    io.err(
      `ewx: created key ${record.id} for ${record.orgId} with scopes ${record.scopes.join(', ')}; senders: ${record.senders?.join(', ') ?? 'any'}; stations: ${record.stations?.join(', ') ?? `every station of ${record.orgId}`}. It is shown only this once.`,
    );
    if (unknown.length > 0)
      io.err(
        `ewx: warning: no station ${unknown.join(', ')} yet; the key is refused for ${unknown.length === 1 ? 'it' : 'them'} until ${record.orgId} has ${unknown.length === 1 ? 'it' : 'them'} (ewx stations add).`,
      );
    return 0;
  });
}

/** `orgs list`: the region's organisations, one per line. */
export async function orgsListCommand(config: Config, io: CliIo): Promise<number> {
  return withStore(config, io, async (store) => {
    for (const org of await store.listOrganisations()) {
      io.out(
        `${org.id}\t${org.country ?? '-'}\t${org.name.en ?? Object.values(org.name)[0] ?? ''}`,
      );
    }
    return 0;
  });
}

function keyLine(key: KeyListing): string {
  const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt}`;
  return [
    key.id,
    key.orgId,
    key.label ?? '-',
    key.scopes.join(','),
    key.senders?.join(',') ?? '*',
    key.stations?.join(',') ?? '*',
    state,
    key.lastUsedAt === null ? 'never used' : `last used ${key.lastUsedAt} (${key.uses} uses)`,
  ].join('\t');
}

/** `keys list|rotate|revoke …` (create is parsed by server/cli.ts). */
export async function keysCommand(
  loadConfig: () => Config,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      id: { type: 'string' },
      org: { type: 'string' },
      grace: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0)
    throw new HubError('CLI_USAGE', `keys ${command ?? ''} takes no arguments`);
  if (command === 'list')
    return withSecurityAdmin(loadConfig(), io, async (ctx) => {
      const keys = await listKeys(ctx, values.org);
      for (const key of keys) io.out(values.json ? JSON.stringify(key) : keyLine(key));
      return 0;
    });
  if (command !== 'rotate' && command !== 'revoke')
    throw new HubError('CLI_USAGE', `unknown command "keys ${command ?? ''}"`);
  const id = values.id;
  if (id === undefined) throw new HubError('CLI_USAGE', `keys ${command} needs --id KEY_ID`);
  if (command === 'revoke')
    return withSecurityAdmin(loadConfig(), io, async (ctx) => {
      const { changed, revokedAt } = await revokeKey(ctx, id);
      io.err(
        changed
          ? `ewx: revoked key ${id} at ${revokedAt}; running hubs refuse it within about a second.`
          : `ewx: key ${id} was already revoked (${revokedAt}).`,
      );
      return 0;
    });
  const grace = values.grace ?? '0';
  if (!/^\d+(\.\d+)?$/.test(grace))
    throw new HubError('CLI_USAGE', `--grace takes minutes (e.g. 60), not "${grace}"`);
  return withSecurityAdmin(loadConfig(), io, async (ctx) => {
    const { key, record, oldKeyRevokedAt } = await rotateKey(ctx, id, Number(grace) * 60_000);
    io.out(key);
    io.err(
      `ewx: created key ${record.id} replacing ${id} (same organisation ${record.orgId}, scopes ${record.scopes.join(', ')}, senders ${record.senders?.join(', ') ?? 'any'}, stations ${record.stations?.join(', ') ?? 'all'}); ${id} is revoked ${Date.parse(oldKeyRevokedAt) > Date.now() ? 'at' : 'since'} ${oldKeyRevokedAt}. The new key is shown only this once.`,
    );
    return 0;
  });
}
