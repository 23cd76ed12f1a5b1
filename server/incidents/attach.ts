/**
 * Attachments of a report (issue 6: "photos, drone imagery, PDF; type and size checked, stored
 * by content hash … served only to those who may see the report"). The bytes are checked
 * (`./attachments/check-attachment.ts`) and kept durably by content hash before the report
 * records them with an `attached` event; the same bytes attached again change nothing.
 */
import type { Readable } from 'node:stream';
import { HubError } from '../../protocols/errors.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Visibility } from '../store/ports.ts';
import { checkAttachment } from './attachments/check-attachment.ts';
import {
  authorOf,
  isoAt,
  lastSeq,
  stillVisible,
  viewerOf,
  visibleIncident,
  type IncidentDeps,
} from './context.ts';
import { incidentEvent } from './events.ts';
import type { IncidentAttachment } from './incident-store.ts';

/** What attaching answers: `created`, or `existing` when these bytes were attached before. */
export interface AttachOutcome {
  readonly outcome: 'created' | 'existing';
  readonly attachment: IncidentAttachment;
  /** Sequence number of the `attached` event; null for `existing`. */
  readonly seq: number | null;
}

/** A file name as given, or undefined: no path, no control characters, at most 200 characters. */
export function attachmentName(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (name.length > 200 || /[\u0000-\u001f\u007f/\\]/.test(name)) {
    throw new HubError(
      'QUERY_INVALID',
      'name: a file name of at most 200 characters, without / \\ or control characters',
    );
  }
  return name;
}

/** Attaches `body` (declared `contentType`) to report `id`. */
export async function attachToIncident(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  body: Uint8Array,
  contentType: string | undefined,
  name: string | undefined,
): Promise<AttachOutcome> {
  const viewer = viewerOf(deps, principal);
  await visibleIncident(deps, viewer, id);
  const checked = checkAttachment(body, contentType, deps.maxAttachmentBytes);
  // The bytes first: a report never names an attachment whose bytes are not kept.
  await deps.blobs.put(checked.hash, body, checked.contentType);
  const at = isoAt(deps.now());
  const attachment: IncidentAttachment = {
    ...checked,
    ...(name === undefined ? {} : { name }),
    at,
    org: principal.orgId,
    author: authorOf(principal),
  };
  const created = await deps.incidents.change(id, (found) => {
    const current = stillVisible(found, viewer, id);
    if (current.attachments.some((a) => a.hash === checked.hash)) return null;
    const aggregate = { ...current, attachments: [...current.attachments, attachment] };
    return {
      events: [
        incidentEvent(aggregate, { kind: 'attached', attachment }, at, deps.region.organisations),
      ],
      next: (seqs) => ({ ...aggregate, seq: lastSeq(seqs, current.seq) }),
      result: (seqs): AttachOutcome => ({ outcome: 'created', attachment, seq: seqs[0] ?? 0 }),
    };
  });
  if (created !== undefined) return created;
  const existing = (await deps.incidents.get(id))?.attachments.find((a) => a.hash === checked.hash);
  if (existing === undefined) throw new HubError('NOT_FOUND', `no incident ${id}`);
  return { outcome: 'existing', attachment: existing, seq: null };
}

/** An attachment of a report `viewer` may see, with its bytes; NOT_FOUND otherwise. */
export async function openIncidentAttachment(
  deps: IncidentDeps,
  viewer: Visibility,
  id: string,
  hash: string,
): Promise<{ attachment: IncidentAttachment; stream: Readable }> {
  const record = await visibleIncident(deps, viewer, id);
  const attachment = record.attachments.find((a) => a.hash === hash);
  const stream = attachment === undefined ? undefined : await deps.blobs.open(hash);
  if (attachment === undefined || stream === undefined)
    throw new HubError('NOT_FOUND', `no attachment ${hash} on incident ${id}`);
  return { attachment, stream };
}
