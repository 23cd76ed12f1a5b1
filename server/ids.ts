/** Identifiers the hub makes: time-ordered (so they sort by creation) and unguessable. */
import { randomBytes } from 'node:crypto';

/** `prefix` + 12 hex digits of milliseconds + 16 random hex digits, e.g. `al_0193a1b2c3d4e5f6a7b8c9d0e1f2`. */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${nowMs.toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
}
