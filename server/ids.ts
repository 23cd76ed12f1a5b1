/** Identifiers the hub makes: time-ordered (so they sort by creation) and unguessable. */
import { randomBytes } from 'node:crypto';

// Random bytes are taken from a pool refilled 4 KiB at a time: one system call per 512 ids.
let pool = Buffer.alloc(0);
let offset = 0;

function randomHex8Bytes(): string {
  if (offset + 8 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + 8);
  offset += 8;
  return hex;
}

/** `prefix` + 12 hex digits of milliseconds + 16 random hex digits, e.g. `al_0193a1b2c3d4e5f6a7b8c9d0e1f2`. */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${nowMs.toString(16).padStart(12, '0')}${randomHex8Bytes()}`;
}
