/**
 * Posting to a report's thread (`POST /api/v1/incidents/:id/thread`): any organisation that
 * may see the report may post; the post is stored with a `posted` event for its audience.
 */
import {
  validateIncidentThreadPost,
  type IncidentThreadEntry,
} from '../../protocols/incident/index.ts';
import { newId } from '../ids.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import {
  authorOf,
  invalidIncident,
  isoAt,
  lastSeq,
  stillVisible,
  viewerOf,
  visibleIncident,
  type IncidentDeps,
} from './context.ts';
import { incidentEvent } from './events.ts';

/** What posting answers. */
export interface PostedEntry {
  readonly seq: number;
  readonly entry: IncidentThreadEntry;
}

/** Posts `body` (`{text: {en: "…"}}`) to the thread of report `id`. */
export async function postToIncidentThread(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  body: unknown,
): Promise<PostedEntry> {
  const viewer = viewerOf(deps, principal);
  await visibleIncident(deps, viewer, id);
  const validation = validateIncidentThreadPost(body);
  if (!validation.ok) throw invalidIncident('post', validation.reasons);
  const text = validation.value.text;
  const posted = await deps.incidents.change(id, (found) => {
    const current = stillVisible(found, viewer, id);
    const nowMs = deps.now();
    const at = isoAt(nowMs);
    const entry: IncidentThreadEntry = {
      id: newId('th', nowMs),
      at,
      org: principal.orgId,
      author: authorOf(principal),
      kind: 'post',
      text,
    };
    const aggregate = { ...current, thread: [...current.thread, entry] };
    return {
      events: [incidentEvent(aggregate, { kind: 'posted', entry }, at, deps.region.organisations)],
      next: (seqs) => ({ ...aggregate, seq: lastSeq(seqs, current.seq) }),
      result: (seqs) => ({ seq: seqs[0] ?? 0, entry }),
    };
  });
  if (posted === undefined) throw new Error('the post was not stored');
  return posted;
}
