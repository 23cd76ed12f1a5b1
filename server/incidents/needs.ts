/**
 * Ids of needs: the hub gives every need an id when a report is stored, so offers can name
 * it. A need sent again without its id (an update that repeats the list) keeps the id of the
 * stored need it equals, so an update does not orphan the offers made for it.
 */
import type { IncidentNeed } from '../../protocols/incident/index.ts';
import { newId } from '../ids.ts';

function sameNeed(a: IncidentNeed, b: IncidentNeed): boolean {
  return a.what === b.what && a.quantity === b.quantity && a.unit === b.unit && a.by === b.by;
}

/** `needs` with an id each: their own, a stored equal need's, or a new one. */
export function withNeedIds(
  needs: readonly IncidentNeed[],
  stored: readonly IncidentNeed[],
  nowMs: number,
): IncidentNeed[] {
  const taken = new Set(needs.map((n) => n.id).filter((id) => id !== undefined));
  return needs.map((need) => {
    if (need.id !== undefined) return need;
    const match = stored.find((s) => s.id !== undefined && !taken.has(s.id) && sameNeed(s, need));
    const id = match?.id ?? newId('need', nowMs);
    taken.add(id);
    return { ...need, id };
  });
}
