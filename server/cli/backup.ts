/**
 * `ewx backup --to DIR`: a copy of the embedded store's data directory, consistent as of one
 * instant, taken while the hub runs — a data directory a hub can start on.
 *
 * - `ewx.sqlite`: SQLite's `VACUUM INTO` reads the database in one read transaction (in WAL
 *   mode the hub's writes go on meanwhile, and the copy holds what was committed when it
 *   began) and writes a compact file that needs no other beside it. better-sqlite3's
 *   page-by-page backup would start over after every write of the running hub, which may be
 *   always. The copy is checked (`quick_check`) before the command says it is done.
 * - `attachments/`: incident attachments are files named by their SHA-256, written and synced
 *   before the write that refers to them and never changed or removed, so copying them after
 *   the database gives every attachment the copy refers to (and perhaps a few newer ones).
 *   Temporary files of writes in progress are left out.
 *
 * A failed backup leaves nothing behind.
 */
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import type { CliIo } from './io.ts';

/** What a finished backup holds. */
interface BackupFacts {
  readonly bytes: number;
  readonly alerts: number;
  readonly lastSeq: number;
  readonly attachments: number;
}

function checkStore(file: string): Omit<BackupFacts, 'attachments'> {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(`the copy fails SQLite's quick_check: ${check}`);
    const count = (sql: string): number => (copy.prepare(sql).get() as { n: number | null }).n ?? 0;
    return {
      bytes: statSync(file).size,
      alerts: count('SELECT count(*) AS n FROM alerts'),
      lastSeq: count('SELECT max(seq) AS n FROM events'),
    };
  } finally {
    copy.close();
  }
}

/** Copies the attachment files (not the temporary ones of writes in progress); returns how many. */
function copyAttachments(from: string, to: string): number {
  if (!existsSync(from)) return 0;
  cpSync(from, to, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
  let files = 0;
  for (const entry of readdirSync(to, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) files++;
  return files;
}

/** `backup --to DIR`: prints the directory written on stdout, what it holds on stderr. */
export function backupCommand(config: Config, options: { to: string }, io: CliIo): number {
  if (config.mongodbUri !== undefined) {
    throw new HubError(
      'CLI_USAGE',
      'the store is MongoDB (MONGODB_URI is set): back it up with mongodump (attachments are in its GridFS); ewx backup copies the embedded store',
    );
  }
  const source = join(config.dataDir, 'ewx.sqlite');
  const target = resolve(options.to);
  if (!existsSync(source)) {
    throw new HubError(
      'STORE_UNAVAILABLE',
      `there is no store at ${source}: check HUB_DATA_DIR (nothing was written)`,
    );
  }
  if (existsSync(target)) {
    throw new HubError(
      'CLI_USAGE',
      `${target} exists: a backup never overwrites or mixes with anything; name a new directory`,
    );
  }
  let facts: BackupFacts;
  try {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('VACUUM INTO ?').run(join(target, 'ewx.sqlite'));
    } finally {
      db.close();
    }
    const attachments = copyAttachments(
      join(config.dataDir, 'attachments'),
      join(target, 'attachments'),
    );
    facts = { ...checkStore(join(target, 'ewx.sqlite')), attachments };
  } catch (cause) {
    rmSync(target, { recursive: true, force: true });
    throw new HubError(
      'STORE_UNAVAILABLE',
      `the backup of ${config.dataDir} failed, and nothing was left at ${target}: ${(cause as Error).message}`,
      { cause },
    );
  }
  io.out(target);
  io.err(
    `ewx: backed up ${config.dataDir} to ${target}: ${(facts.bytes / 1_048_576).toFixed(1)} MB of store with ${facts.alerts} alerts and events up to sequence ${facts.lastSeq}, ${facts.attachments} attachment file(s). To restore, stop the hub and put these files in HUB_DATA_DIR in place of its ewx.sqlite (removing ewx.sqlite-wal and ewx.sqlite-shm) and attachments/.`,
  );
  return 0;
}
