/**
 * Who may see an alert — one definition for every adapter and route. An organisation sees
 * Public alerts, its own, and those addressed to it; the hub sees everything; the public sees
 * Public alerts with status Actual. Restricted and Private alerts of others never leak.
 */
import type { AlertQuery, AlertSummary, Visibility } from './ports.ts';

/** True when `viewer` may see `alert`. */
export function canSee(
  alert: Pick<AlertSummary, 'scope' | 'status' | 'orgId' | 'addresses'>,
  viewer: Visibility,
): boolean {
  if (viewer.kind === 'public') return alert.scope === 'Public' && alert.status === 'Actual';
  if (viewer.isHub || alert.orgId === viewer.orgId || alert.scope === 'Public') return true;
  // CAP 1.2 §3.2.1 addresses: "The group listing of intended recipients"; partners address
  // each other by organisation id (or country code, for a whole country).
  return alert.addresses.some(
    (a) => a === viewer.orgId || (viewer.country !== null && a === viewer.country),
  );
}

/**
 * Reads newest-first pages (`seq` below a cursor) until `query.limit` alerts the viewer may see
 * are found or the pages run out. Adapters give the page reader; visibility stays in one place.
 */
export async function collectVisible(
  query: Pick<AlertQuery, 'limit' | 'beforeSeq' | 'visibleTo'>,
  readPage: (beforeSeq: number, size: number) => AlertSummary[] | Promise<AlertSummary[]>,
): Promise<AlertSummary[]> {
  if (query.limit <= 0) return [];
  const out: AlertSummary[] = [];
  let before = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const size = Math.max(query.limit * 2, 50);
  for (;;) {
    const page = await readPage(before, size);
    for (const summary of page) {
      if (canSee(summary, query.visibleTo)) out.push(summary);
      if (out.length >= query.limit) return out;
    }
    const last = page[page.length - 1];
    if (page.length < size || last === undefined) return out;
    before = last.seq;
  }
}
