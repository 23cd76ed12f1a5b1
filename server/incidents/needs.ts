/**
 * Ids of needs: the hub gives every need an id when a report is stored, so offers can name
 * it. A need sent again without its id (an update that repeats the list) keeps the id of the
 * stored need it equals — or, failing that, of the one stored need of the same thing and unit
 * (12 pumps now where 10 were asked) — so an update does not orphan the offers made for it.
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
  const free = (s: IncidentNeed): boolean => s.id !== undefined && !taken.has(s.id);
  // Equal needs first, so a changed one cannot take the id of one repeated as it was.
  const exact = needs.map((need) => {
    if (need.id !== undefined) return need.id;
    const match = stored.find((s) => free(s) && sameNeed(s, need));
    if (match?.id !== undefined) taken.add(match.id);
    return match?.id;
  });
  return needs.map((need, k) => {
    let id = exact[k];
    if (id === undefined) {
      const same = stored.filter((s) => free(s) && s.what === need.what && s.unit === need.unit);
      id = same.length === 1 ? same[0]?.id : undefined;
      id ??= newId('need', nowMs);
      taken.add(id);
    }
    return id === need.id ? need : { ...need, id };
  });
}
