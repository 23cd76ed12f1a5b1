/**
 * The hub person behind a provider identity: found by the link (issuer, subject) made at their
 * first log-in, never by name — a provider's display name that equals a password user's name
 * gets a name of its own, never that user. Created at the first log-in in the provider's
 * organisation with the role its claims map to; at every later log-in the role follows the
 * provider again, so a person demoted or promoted there is demoted or promoted here.
 */
import { HubError, isHubError } from '../../protocols/errors.ts';
import { newId } from '../ids.ts';
import type { HubStore, UserRecord, UserRole } from '../store/ports.ts';
import type { OidcStore } from './oidc-store.ts';

/** The password hash of a person who logs in only through a provider: matches no password. */
export const NO_PASSWORD = 'oidc$no-password';

/** Longest log-in name (as `ewx users create` allows). */
const MAX_NAME = 64;

function cleanName(text: string): string {
  // Printable only: names are shown on consoles and in audit logs.
  return text
    .replace(/\p{C}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The name a person is shown under: the provider's `name`, else a user name, e-mail or subject. */
export function displayNameOf(claims: Readonly<Record<string, unknown>>, orgId: string): string {
  for (const claim of ['name', 'preferred_username', 'email']) {
    const value = claims[claim];
    if (typeof value !== 'string') continue;
    const name = cleanName(value).slice(0, MAX_NAME).trim();
    if (name.length >= 2) return name;
  }
  const subject = typeof claims.sub === 'string' ? cleanName(claims.sub) : '';
  return `${orgId} ${subject}`.slice(0, MAX_NAME).trim();
}

/** Names to try, in order, when the first is taken: `Name (org)`, `Name (org 2)` … */
function nameCandidates(name: string, orgId: string): string[] {
  const fit = (suffix: string) => `${name.slice(0, MAX_NAME - suffix.length).trim()}${suffix}`;
  const candidates = [name, fit(` (${orgId})`)];
  for (let n = 2; n <= 9; n++) candidates.push(fit(` (${orgId} ${n})`));
  return candidates;
}

/** What {@link personOfIdentity} needs. */
export interface PersonDeps {
  readonly store: HubStore;
  readonly oidcStore: OidcStore;
}

/** An identity the provider vouched for, and the role its claims map to. */
export interface VouchedIdentity {
  readonly orgId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly role: UserRole;
}

/**
 * The person of a vouched identity, created or updated; `OIDC_NOT_PERMITTED` when the identity
 * is linked to another organisation's person or to a disabled one.
 */
export async function personOfIdentity(
  deps: PersonDeps,
  identity: VouchedIdentity,
  nowMs: number,
): Promise<{ user: UserRecord; created: boolean }> {
  const { store, oidcStore } = deps;
  // The link first, with the id the person will have: two first log-ins of one identity at
  // once end with one link, and a crash before the person exists is mended at the next log-in.
  const link =
    (await oidcStore.findIdentity(identity.issuer, identity.subject)) ??
    (await oidcStore.linkIdentity({
      issuer: identity.issuer,
      subject: identity.subject,
      userId: newId('usr', nowMs),
      orgId: identity.orgId,
      createdAt: new Date(nowMs).toISOString(),
    }));
  if (link.orgId !== identity.orgId)
    throw new HubError(
      'OIDC_NOT_PERMITTED',
      `this identity belongs to a person of ${link.orgId}, not of ${identity.orgId}`,
      { details: { orgId: identity.orgId } },
    );
  const existing = await store.getUser(link.userId);
  if (existing === undefined) return createPerson(store, link.userId, identity, nowMs);
  if (existing.disabledAt !== null)
    throw new HubError('OIDC_NOT_PERMITTED', 'this person is disabled on the hub', {
      details: { orgId: identity.orgId },
    });
  if (existing.role === identity.role) return { user: existing, created: false };
  await oidcStore.setUserRole(existing.id, identity.role);
  return { user: { ...existing, role: identity.role }, created: false };
}

async function createPerson(
  store: HubStore,
  id: string,
  identity: VouchedIdentity,
  nowMs: number,
): Promise<{ user: UserRecord; created: boolean }> {
  const name = displayNameOf(identity.claims, identity.orgId);
  const candidates = [...nameCandidates(name, identity.orgId), `${identity.orgId}-${id}`];
  for (const candidate of candidates) {
    const record: UserRecord = {
      id,
      orgId: identity.orgId,
      name: candidate,
      role: identity.role,
      passwordHash: NO_PASSWORD,
      createdAt: new Date(nowMs).toISOString(),
      disabledAt: null,
    };
    try {
      await store.insertUser(record);
      return { user: record, created: true };
    } catch (error) {
      // A simultaneous log-in of the same identity created the person: use it.
      const raced = await store.getUser(id);
      if (raced !== undefined) return { user: raced, created: false };
      if (!isHubError(error, 'USER_EXISTS')) throw error;
    }
  }
  throw new HubError('USER_EXISTS', `no free name for ${name}`);
}
