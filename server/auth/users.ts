/**
 * People: created by an operator (`ewx users create`), log in with name and password
 * (`POST /api/v1/session`) and get a short-lived session token that authenticates the REST
 * API and the `/console` socket. What a person may do follows from their role.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HubError } from '../../protocols/errors.ts';
import { newId } from '../ids.ts';
import type { SessionRecord, HubStore, UserRecord } from '../store/ports.ts';
import { UserRole } from '../store/ports.ts';
import { ApiScope } from './api-keys.ts';
import { generatePassword, hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './passwords.ts';

/** The scopes of each role; each role can do what the one before it can. */
export const roleScopes: Readonly<Record<UserRole, readonly string[]>> = {
  viewer: [ApiScope.alertsRead, ApiScope.quarantineRead, ApiScope.incidentsRead],
  officer: [
    ApiScope.alertsRead,
    ApiScope.quarantineRead,
    ApiScope.alertsAck,
    ApiScope.incidentsRead,
    ApiScope.incidentsWrite,
  ],
  issuer: [
    ApiScope.alertsRead,
    ApiScope.quarantineRead,
    ApiScope.alertsAck,
    ApiScope.capSubmit,
    ApiScope.incidentsRead,
    ApiScope.incidentsWrite,
    ApiScope.draftsApprove,
  ],
  admin: [ApiScope.admin],
};

const roles = new Set<string>(Object.values(UserRole));

/** True for a known role name. */
export function isUserRole(value: string): value is UserRole {
  return roles.has(value);
}

/** What {@link createUser} needs. */
export interface NewUser {
  readonly orgId: string;
  readonly role: string;
  readonly name: string;
}

/** Creates a person with a generated password; returns the password (shown once) and record. */
export async function createUser(
  store: HubStore,
  request: NewUser,
  nowMs: number = Date.now(),
): Promise<{ password: string; record: UserRecord }> {
  const orgs = await store.listOrganisations();
  if (!orgs.some((o) => o.id === request.orgId)) {
    throw new HubError(
      'ORG_UNKNOWN',
      `no organisation "${request.orgId}"; the region has ${orgs.map((o) => o.id).join(', ')}`,
    );
  }
  if (!isUserRole(request.role)) {
    throw new HubError(
      'REQUEST_INVALID',
      `unknown role "${request.role}"; roles: ${Object.values(UserRole).join(', ')}`,
    );
  }
  const name = request.name.trim();
  // Printable, no control characters: the name is shown on consoles and in audit logs.
  if (name.length < 2 || name.length > 64 || /[\p{C}]/u.test(name)) {
    throw new HubError(
      'REQUEST_INVALID',
      'a user name has 2 to 64 printable characters (letters of any script, digits, . _ @ - and spaces)',
    );
  }
  const password = generatePassword();
  const record: UserRecord = {
    id: newId('usr', nowMs),
    orgId: request.orgId,
    name,
    role: request.role,
    passwordHash: await hashPassword(password),
    createdAt: new Date(nowMs).toISOString(),
    disabledAt: null,
  };
  await store.insertUser(record);
  return { password, record };
}

/** SHA-256 of a session token, hex (tokens are 256 random bits, so a fast hash is enough). */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A logged-in person, as the HTTP and socket layers see them. */
export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: UserRole;
}

/** Checks name and password and opens a session; `AUTH_INVALID` for either being wrong. */
export async function logIn(
  store: HubStore,
  name: string,
  password: string,
  ttlMs: number,
  nowMs: number,
): Promise<{ token: string; session: SessionRecord; user: SessionUser }> {
  const user = await store.findUserByName(name.trim());
  // An unknown name costs the same scrypt as a wrong password, so timing reveals no names; so
  // does a person without a password (log-in through an identity provider, server/auth/oidc-*).
  const stored = user?.passwordHash.startsWith('scrypt$') === true ? user.passwordHash : undefined;
  const matches = await verifyPassword(password, stored ?? UNKNOWN_USER_HASH);
  if (user === undefined || stored === undefined || !matches || user.disabledAt !== null) {
    throw new HubError('AUTH_INVALID', 'unknown user name or wrong password');
  }
  return openSession(store, user, ttlMs, nowMs);
}

/**
 * Opens a session for a person already authenticated (by password, or by their organisation's
 * identity provider): the same token and expiry whichever way they logged in.
 */
export async function openSession(
  store: HubStore,
  user: UserRecord,
  ttlMs: number,
  nowMs: number,
): Promise<{ token: string; session: SessionRecord; user: SessionUser }> {
  const token = `ewxs_${randomBytes(32).toString('base64url')}`;
  const session: SessionRecord = {
    hash: hashSessionToken(token),
    userId: user.id,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + ttlMs).toISOString(),
    revokedAt: null,
  };
  await store.insertSession(session);
  return { token, session, user: sessionUserOf(user) };
}

function sessionUserOf(user: UserRecord): SessionUser {
  return { id: user.id, name: user.name, orgId: user.orgId, role: user.role };
}

/** True when a bearer token is a session token rather than an API key. */
export function isSessionToken(token: string): boolean {
  return token.startsWith('ewxs_');
}

/**
 * The person behind a session token, or a HubError saying why not: `AUTH_INVALID` (unknown
 * token or disabled user), `AUTH_EXPIRED` (expired or logged out).
 */
export async function resolveSession(
  store: HubStore,
  token: string,
  nowMs: number,
): Promise<{ user: SessionUser; session: SessionRecord }> {
  const session = await store.findSessionByHash(hashSessionToken(token));
  if (session === undefined) throw new HubError('AUTH_INVALID', 'unknown session token');
  if (session.revokedAt !== null)
    throw new HubError('AUTH_EXPIRED', 'this session was ended by logging out; log in again');
  if (Date.parse(session.expiresAt) <= nowMs)
    throw new HubError(
      'AUTH_EXPIRED',
      `this session expired at ${session.expiresAt}; log in again`,
    );
  const user = await store.getUser(session.userId);
  if (user?.disabledAt !== null)
    throw new HubError('AUTH_INVALID', 'the user of this session no longer exists or is disabled');
  return { user: sessionUserOf(user), session };
}
