/**
 * `ewx users create`: people who log in to the console. The generated password is printed
 * once on stdout (so it can be piped); everything else goes to stderr.
 */
import { createUser } from '../auth/users.ts';
import type { Config } from '../config.ts';
import type { CliIo } from './io.ts';
import { withStore } from './keys.ts';

/** `users create --org ORG --role ROLE --name NAME`: prints the generated password once. */
export async function usersCreateCommand(
  config: Config,
  options: { org: string; role: string; name: string },
  io: CliIo,
): Promise<number> {
  return withStore(config, io, async (store) => {
    const { password, record } = await createUser(store, {
      orgId: options.org,
      role: options.role,
      name: options.name,
    });
    io.out(password);
    io.err(
      `ewx: created ${record.role} "${record.name}" (${record.id}) of ${record.orgId}. The password is shown only this once; log in with POST /api/v1/session.`,
    );
    return 0;
  });
}
