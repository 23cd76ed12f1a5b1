/**
 * What the console keeps in the browser: the session (this tab only), the sound choice and
 * whether exercises are shown (this session only) and, per person, the watermark of the live feed (the `lastSeq` to send on the
 * next connect, so a reload or a reconnect replays exactly what was missed).
 */
import type { Session } from './api-types.ts';

const sessionKey = 'ewx:session';
const mutedKey = 'ewx:muted';
const exercisesKey = 'ewx:exercises';
const watermarkKey = (userId: string): string => `ewx:watermark:${userId}`;

/**
 * The session kept in this tab. Its expiry is the hub's to judge (this computer's clock may be
 * off): an expired token is refused by the hub and the console returns to the log-in form.
 */
export function loadSession(): Session | null {
  const text = sessionStorage.getItem(sessionKey);
  if (text === null) return null;
  try {
    const session = JSON.parse(text) as Session;
    if (typeof session.token === 'string' && typeof session.user.id === 'string') return session;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(sessionKey);
  return null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(sessionKey);
  // The next person to log in here starts with exercises hidden.
  sessionStorage.removeItem(exercisesKey);
}

export function loadMuted(): boolean {
  return sessionStorage.getItem(mutedKey) === '1';
}

export function saveMuted(muted: boolean): void {
  sessionStorage.setItem(mutedKey, muted ? '1' : '0');
}

/** Whether Test and Exercise messages are shown: off until chosen, and for this session only. */
export function loadExercises(): boolean {
  return sessionStorage.getItem(exercisesKey) === '1';
}

export function saveExercises(shown: boolean): void {
  sessionStorage.setItem(exercisesKey, shown ? '1' : '0');
}

/** The watermark stored for this person, or null the first time in this browser. */
export function loadWatermark(userId: string): number | null {
  const value = Number(localStorage.getItem(watermarkKey(userId)));
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

export function saveWatermark(userId: string, seq: number): void {
  localStorage.setItem(watermarkKey(userId), String(seq));
}
