/**
 * A draft hub CAP (issue 4, rule 4): what a threshold transition of a station asks the hub to
 * issue, kept until a hub issuer approves or rejects it — or issued at once when the region's
 * rule says `issue`. At most one draft of a station is open: a newer transition supersedes an
 * open one, so an issuer never approves a warning the river has already left.
 *
 * Life: `pending` → `issuing` (approved; the CAP is built and kept) → `issued` (stored as a
 * hub alert) | `failed`; `pending` → `rejected` | `superseded`. Approving is a compare-and-set
 * from `pending`, so a second approval is refused and one draft never yields two hub alerts;
 * an `issuing` draft left by a crash is issued again from its kept CAP at start-up (the
 * CAP triple makes that a duplicate, never a second alert).
 */
import type { ThresholdTransition } from '../routing/rules/thresholds.ts';

/** Where a draft is in its life. */
export const DraftStatus = {
  pending: 'pending',
  issuing: 'issuing',
  issued: 'issued',
  rejected: 'rejected',
  superseded: 'superseded',
  failed: 'failed',
} as const;
/** One of {@link DraftStatus}. */
export type DraftStatus = (typeof DraftStatus)[keyof typeof DraftStatus];

/** Who approved or rejected a draft. */
export interface DraftActor {
  readonly orgId: string;
  readonly name: string;
  readonly userId: string | null;
  readonly keyId: string | null;
}

/** A draft as stored. */
export interface DraftRecord {
  readonly id: string;
  readonly station: string;
  /** The station's organisation. */
  readonly orgId: string;
  readonly status: DraftStatus;
  /** `draft`: waits for an issuer; `issue`: issued at once (the region's rule). */
  readonly action: 'draft' | 'issue';
  readonly msgType: 'Alert' | 'Update' | 'Cancel';
  readonly transition: ThresholdTransition;
  /** The observation's time as a CAP date-time (its own offset). */
  readonly observedAt: string;
  readonly createdAt: string;
  readonly createdMs: number;
  readonly decidedAt: string | null;
  readonly decidedBy: DraftActor | null;
  /** Why it was rejected or superseded, or the approver's note. */
  readonly note: string | null;
  /** The draft that superseded it. */
  readonly supersededBy: string | null;
  /** The CAP XML issued (kept when approved, so a retry issues the same bytes). */
  readonly cap: string | null;
  /** The hub alert stored from it. */
  readonly hubAlertId: string | null;
  /** Why issuing failed. */
  readonly error: string | null;
  /** Incremented by every change (the MongoDB adapter's compare-and-set). */
  readonly version: number;
}

/** True while a draft may still become a hub alert. */
export function isOpenDraft(draft: Pick<DraftRecord, 'status'>): boolean {
  return draft.status === DraftStatus.pending || draft.status === DraftStatus.issuing;
}
