/**
 * `ewx keys create` and `ewx orgs list`: managing machine clients from the command line. The
 * store is prepared the way `npm start` prepares it, so keys can be made before the first start.
 */
import { createApiKey } from '../auth/api-keys.ts';
import type { Config } from '../config.ts';
import { loadRegion } from '../region/region.ts';
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

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `keys create --org ORG --scopes a,b [--senders a,b] [--label TEXT]`: prints the new key once. */
export async function keysCreateCommand(
  config: Config,
  options: { org?: string; scopes?: string; senders?: string; label?: string },
  io: CliIo,
): Promise<number> {
  return withStore(config, io, async (store) => {
    const { key, record } = await createApiKey(store, {
      orgId: options.org ?? '',
      scopes: list(options.scopes),
      senders: list(options.senders),
      label: options.label ?? null,
    });
    io.out(key);
    io.err(
      `ewx: created key ${record.id} for ${record.orgId} with scopes ${record.scopes.join(', ')}; senders: ${record.senders?.join(', ') ?? 'any'}. It is shown only this once.`,
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
