/**
 * `ewx users create|unlock`: people who log in to the console. The generated password is
 * printed once on stdout (so it can be piped); everything else goes to stderr. Unlocking ends
 * a lockout after repeated failed log-ins on every hub node at once, and is audited.
 */
import { createUser } from '../auth/users.ts';
import type { Config } from '../config.ts';
import { unlockLogin } from '../security/login-guard.ts';
import type { CliIo } from './io.ts';
import { withSecurityAdmin, withStore } from './keys.ts';

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

/** `users unlock --name NAME`: ends a log-in lockout (exit 0 also when there was none). */
export async function usersUnlockCommand(
  config: Config,
  options: { name: string },
  io: CliIo,
): Promise<number> {
  return withSecurityAdmin(config, io, async (ctx) => {
    const outcome = await unlockLogin(ctx, options.name);
    const who = `"${outcome.name}" of ${outcome.orgId}`;
    io.err(
      outcome.lockedUntil !== null
        ? `ewx: unlocked ${who} (locked until ${outcome.lockedUntil}); they can log in now, on every hub node.`
        : outcome.failures > 0
          ? `ewx: ${who} was not locked; forgot ${outcome.failures} failed log-in(s) in a row.`
          : `ewx: ${who} was not locked; nothing to do.`,
    );
    return 0;
  });
}
