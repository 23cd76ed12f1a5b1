/**
 * People and their log-in sessions: the `users` collection (log-in names unique
 * case-insensitively through the `nameKey` index) and the `sessions` collection, keyed by the
 * SHA-256 of the session token. Neither writes console events.
 */
import { HubError } from '../../../protocols/errors.ts';
import type { SessionRecord, UserRecord, UserRole } from '../ports.ts';
import { USER_NAME_INDEX, isDuplicateKeyOf } from './connection.ts';
import type { MongoCollections } from './documents.ts';

/** A person who logs in (see {@link UserRecord}). */
export interface UserDoc {
  _id: string;
  orgId: string;
  name: string;
  /** `name` lower-cased (as the SQLite adapter does), under a unique index. */
  nameKey: string;
  role: UserRole;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

/** A log-in session (see {@link SessionRecord}); `_id` is the token's hash. */
export interface SessionDoc {
  _id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** The key log-in names are compared by. */
function nameKeyOf(name: string): string {
  return name.toLowerCase();
}

function userOf(doc: UserDoc): UserRecord {
  return {
    id: doc._id,
    orgId: doc.orgId,
    name: doc.name,
    role: doc.role,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
    disabledAt: doc.disabledAt,
  };
}

function sessionOf(doc: SessionDoc): SessionRecord {
  return {
    hash: doc._id,
    userId: doc.userId,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt,
  };
}

/** Stores a person; a name taken case-insensitively rejects with USER_EXISTS. */
export async function insertUser(
  { organisations, users }: MongoCollections,
  user: UserRecord,
): Promise<void> {
  // SQLite enforces this with a foreign key; MongoDB has none, so check first.
  if ((await organisations.countDocuments({ _id: user.orgId }, { limit: 1 })) === 0)
    throw new Error(`unknown organisation ${user.orgId}`);
  const exists = (): HubError =>
    new HubError('USER_EXISTS', `a user named "${user.name}" already exists`);
  const nameKey = nameKeyOf(user.name);
  if ((await users.countDocuments({ nameKey }, { limit: 1 })) > 0) throw exists();
  try {
    await users.insertOne({
      _id: user.id,
      orgId: user.orgId,
      name: user.name,
      nameKey,
      role: user.role,
      passwordHash: user.passwordHash,
      createdAt: user.createdAt,
      disabledAt: user.disabledAt,
    });
  } catch (error) {
    // Another node stored the same name since the check: the unique index refused this one.
    if (isDuplicateKeyOf(error, USER_NAME_INDEX, 'nameKey')) throw exists();
    throw error;
  }
}

/** The person of a log-in name, compared case-insensitively. */
export async function findUserByName(
  { users }: MongoCollections,
  name: string,
): Promise<UserRecord | undefined> {
  const doc = await users.findOne({ nameKey: nameKeyOf(name) });
  return doc === null ? undefined : userOf(doc);
}

/** The person of an id. */
export async function getUser(
  { users }: MongoCollections,
  id: string,
): Promise<UserRecord | undefined> {
  const doc = await users.findOne({ _id: id });
  return doc === null ? undefined : userOf(doc);
}

/** Stores a session of a known person. */
export async function insertSession(
  { users, sessions }: MongoCollections,
  session: SessionRecord,
): Promise<void> {
  // SQLite enforces this with a foreign key; MongoDB has none, so check first.
  if ((await users.countDocuments({ _id: session.userId }, { limit: 1 })) === 0)
    throw new Error(`unknown user ${session.userId}`);
  await sessions.insertOne({
    _id: session.hash,
    userId: session.userId,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    revokedAt: session.revokedAt,
  });
}

/** The session of a token hash. */
export async function findSessionByHash(
  { sessions }: MongoCollections,
  hash: string,
): Promise<SessionRecord | undefined> {
  const doc = await sessions.findOne({ _id: hash });
  return doc === null ? undefined : sessionOf(doc);
}

/**
 * Marks a session revoked at `at`; false when there is none, or it was revoked already. One
 * conditional update, so of two concurrent log-outs exactly one answers true.
 */
export async function revokeSession(
  { sessions }: MongoCollections,
  hash: string,
  at: string,
): Promise<boolean> {
  const result = await sessions.updateOne(
    { _id: hash, revokedAt: null },
    { $set: { revokedAt: at } },
  );
  return result.matchedCount > 0;
}
