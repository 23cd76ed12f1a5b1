/**
 * The reference-chain lifecycle, as a pure plan both store adapters apply inside their own
 * transaction: what an incoming Update or Cancel does to the alerts it references, what is
 * parked for alerts not seen yet, and what happens when a parked reference finds its alert.
 *
 * CAP 1.2 §3.2.1 msgType: "Update — Updates and supercedes the earlier message(s) identified in
 * <references>"; "Cancel — Cancels the earlier message(s) identified in <references>". Only the
 * sender of a message may update or cancel it — and only through the organisation that posted
 * it: a key allowed to post for any sender must not cancel another partner's alert by writing
 * that partner's sender into its own message.
 *
 * Language editions (a warning published once per language, identifiers differing only in a
 * language suffix: `…-00-EN`, `…-00-RU`) are no reference chain: an edition joins the thread
 * and the `editionOf` group of a stored edition of its warning and supersedes nothing, so both
 * stay active and each one's own Update or Cancel acts on it alone.
 */
import { capDateTimeToEpoch } from '../../protocols/cap/datetime.ts';
import type { CapReference } from '../../protocols/cap/model.ts';
import { reason, type Reason } from '../../protocols/cap/reasons.ts';
import type { AlertCandidate, AlertState, StateChange } from './ports.ts';

/** What a reference asks for. */
export type ReferenceAction = 'supersede' | 'cancel';

/** An alert a reference points at, as the store found it. */
export interface LifecycleTarget {
  readonly id: string;
  readonly sender: string;
  /** The organisation that posted it. */
  readonly orgId: string;
  readonly state: AlertState;
  readonly threadId: string;
}

/** A reference that arrived before the alert it names. */
export interface ParkedReference {
  readonly ref: CapReference;
  readonly action: ReferenceAction;
  readonly byAlertId: string;
  readonly bySender: string;
  /** The organisation that posted the referencing alert; null for references parked by 0.1. */
  readonly byOrgId: string | null;
  readonly byThreadId: string;
}

/**
 * How long a message without `<info>` stays active after its `sent`: a Cancel (IPAWS sends them
 * bare), an Ack or an Error has nothing to show but what it refers to, and no `expires` to end
 * it. A day lets consoles and feed readers see it; without a bound it stayed active for ever and
 * every Atom feed of active alerts kept it.
 */
export const INFOLESS_ACTIVE_MS = 24 * 3_600_000;

/**
 * How far apart the `sent` of two editions of one warning may be. The MeteoInfo identifiers
 * carry the issue time to the second (`…-20250306-133701-0284797-00-EN`) and both languages are
 * rendered from that one record, so their `sent` is the same; ten minutes also covers a
 * publisher that stamps each language when it renders it, and stays far below the hours
 * between revisions (which get identifiers of their own anyway). Two alerts that merely share
 * an identifier base but were sent further apart are kept apart.
 */
export const EDITION_SENT_TOLERANCE_MS = 10 * 60_000;

/** The `sent` range (epoch ms, inclusive) in which a stored edition may match one sent at `sentMs`. */
export function editionSentWindow(sentMs: number): { readonly from: number; readonly to: number } {
  return { from: sentMs - EDITION_SENT_TOLERANCE_MS, to: sentMs + EDITION_SENT_TOLERANCE_MS };
}

/**
 * A stored edition a language edition may join, as the store found it: same sender and
 * organisation, same edition key, another language, `sent` in {@link editionSentWindow} (the
 * first stored such one).
 */
export interface EditionTarget {
  readonly id: string;
  readonly threadId: string;
  /** The warning's first edition (the group every edition shares). */
  readonly editionOf: string;
}

/** The incoming alert, as far as the lifecycle cares. */
export interface LifecycleCandidate {
  readonly id: string;
  readonly sender: string;
  /** The organisation posting it. */
  readonly orgId: string;
  readonly msgType: string;
  readonly references: readonly CapReference[];
  /** True when every info has already expired. */
  readonly expired: boolean;
  /** True when it is a language edition (its identifier ends in its own language). */
  readonly edition?: boolean;
}

/** One transition to apply to a stored alert. */
export interface PlannedTransition {
  readonly id: string;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly cause: 'update' | 'cancel';
  readonly byAlertId: string;
}

/** What to write. */
export interface LifecyclePlan {
  readonly state: AlertState;
  readonly threadId: string;
  /** Why the incoming alert starts in `state` (null: plain ingest). */
  readonly stateCause: { readonly cause: 'update' | 'cancel'; readonly byAlertId: string } | null;
  readonly transitions: PlannedTransition[];
  readonly park: { readonly ref: CapReference; readonly action: ReferenceAction }[];
  /** Parked references now resolved (delete them). */
  readonly resolved: readonly ParkedReference[];
  readonly notes: Reason[];
  /** The warning's first edition for a language edition (itself when it is the first), else null. */
  readonly editionOf: string | null;
}

/** The state change of an alert the expiry job expired (every adapter records the same). */
export function expiryChange(seq: number, alertId: string, at: string): StateChange {
  return { seq, alertId, at, from: 'active', to: 'expired', cause: 'expiry', byAlertId: null };
}

/** The key of a CAP triple (sender, identifier, sent) as written. */
export function tripleKey(ref: CapReference): string {
  return `${ref.sender}\u0000${ref.identifier}\u0000${ref.sent}`;
}

/**
 * The key of a CAP triple with its `sent` as an instant: a reference that writes the time with
 * another offset (`…T12:32:19-08:00` for `…T20:32:19-00:00`) names the same message. A `sent`
 * that does not read as a date-time stays as written.
 */
export function instantTripleKey(ref: CapReference): string {
  const at = capDateTimeToEpoch(ref.sent);
  return `${ref.sender}\u0000${ref.identifier}\u0000${at === undefined ? ref.sent : String(at)}`;
}

/**
 * The one of `stored` (alerts of the reference's sender and identifier) that `ref` names: the
 * one with `sent` as written, else one sent at the same instant.
 */
export function namedBy<T extends CapReference>(
  ref: CapReference,
  stored: readonly T[],
): T | undefined {
  const key = instantTripleKey(ref);
  return stored.find((a) => a.sent === ref.sent) ?? stored.find((a) => instantTripleKey(a) === key);
}

/** How many references a note names before "and N more". */
const LISTED_REFERENCES = 5;

/**
 * References as CAP writes them (`sender,identifier,sent`), separated by spaces, the first
 * {@link LISTED_REFERENCES} of them: an Update that references a long chain (Environment
 * Canada's name every earlier message of the warning) gets one note, not one per reference.
 */
function referenceList(refs: readonly CapReference[]): string {
  const listed = refs
    .slice(0, LISTED_REFERENCES)
    .map((r) => `${r.sender},${r.identifier},${r.sent}`);
  const more = refs.length - listed.length;
  return more > 0 ? `${listed.join(' ')} and ${more} more` : listed.join(' ');
}

function actionOf(msgType: string): ReferenceAction | null {
  if (msgType === 'Update') return 'supersede';
  if (msgType === 'Cancel') return 'cancel';
  return null;
}

/** Whether `action` moves an alert out of `state` (a cancel also ends a superseded alert). */
function applies(action: ReferenceAction, state: AlertState): boolean {
  return state === 'active' || (action === 'cancel' && state === 'superseded');
}

function stateFor(action: ReferenceAction): AlertState {
  return action === 'cancel' ? 'cancelled' : 'superseded';
}

/**
 * Plans the lifecycle of an incoming alert. `targets` holds the stored alerts its references
 * name (by {@link tripleKey}); `parked` the references to it that arrived before it; `edition`
 * the stored edition of its warning it joins, if any. Its thread is that of the alerts it
 * references, else that of a parked reference, else that of the edition, else its own.
 */
export function planLifecycle(
  candidate: LifecycleCandidate,
  targets: ReadonlyMap<string, LifecycleTarget>,
  parked: readonly ParkedReference[],
  edition?: EditionTarget | null,
): LifecyclePlan {
  const action = actionOf(candidate.msgType);
  const transitions: PlannedTransition[] = [];
  const park: { ref: CapReference; action: ReferenceAction }[] = [];
  const notes: Reason[] = [];
  let threadId: string | null = null;
  const foreign: CapReference[] = [];
  if (action !== null) {
    const planned = new Set<string>();
    for (const ref of candidate.references) {
      // A reference listed twice acts once.
      if (planned.has(tripleKey(ref))) continue;
      planned.add(tripleKey(ref));
      const target = targets.get(tripleKey(ref));
      if (target === undefined) {
        park.push({ ref, action });
        continue;
      }
      if (target.sender !== candidate.sender || target.orgId !== candidate.orgId) {
        foreign.push(ref);
        continue;
      }
      threadId ??= target.threadId;
      if (applies(action, target.state)) {
        transitions.push({
          id: target.id,
          from: target.state,
          to: stateFor(action),
          cause: action === 'cancel' ? 'cancel' : 'update',
          byAlertId: candidate.id,
        });
      }
    }
    const verb = action === 'cancel' ? 'cancel' : 'update';
    if (park.length > 0) {
      notes.push(
        reason(
          'LIFECYCLE_REFERENCE_PARKED',
          '/alert[1]/references[1]',
          park.length === 1
            ? `${referenceList(park.map((p) => p.ref))} is not known to the hub yet: the ${verb} is kept and applies when that alert arrives`
            : `${park.length} of the alerts it references are not known to the hub yet (${referenceList(park.map((p) => p.ref))}): the ${verb} is kept and applies to each when it arrives`,
        ),
      );
    }
    if (foreign.length > 0) {
      notes.push(
        reason(
          'LIFECYCLE_FOREIGN_SENDER',
          '/alert[1]/references[1]',
          foreign.length === 1
            ? `${referenceList(foreign)} belongs to another sender or organisation; only its sender, through its organisation, may ${verb} it, so it is unchanged`
            : `${foreign.length} of the alerts it references belong to another sender or organisation (${referenceList(foreign)}); only their sender, through its organisation, may ${verb} them, so they are unchanged`,
        ),
      );
    }
  }
  // Later messages that arrived first decide this one's fate (a cancel over an update).
  let state: AlertState = candidate.expired ? 'expired' : 'active';
  let stateCause: LifecyclePlan['stateCause'] = null;
  const resolved: ParkedReference[] = [];
  for (const p of parked) {
    resolved.push(p);
    if (p.bySender !== candidate.sender || (p.byOrgId !== null && p.byOrgId !== candidate.orgId))
      continue;
    threadId = p.byThreadId;
    // An alert past its expiry when it arrives stays expired, as it would have had it come
    // before the Update or Cancel (which move only active alerts): the same messages end in the
    // same states whatever order they come in.
    if (!candidate.expired && (stateCause === null || p.action === 'cancel')) {
      state = stateFor(p.action);
      stateCause = { cause: p.action === 'cancel' ? 'cancel' : 'update', byAlertId: p.byAlertId };
    }
  }
  const isEdition = candidate.edition === true;
  const joined = isEdition ? (edition ?? null) : null;
  return {
    state,
    threadId: threadId ?? joined?.threadId ?? candidate.id,
    stateCause,
    transitions,
    park,
    resolved,
    notes,
    editionOf: isEdition ? (joined?.editionOf ?? candidate.id) : null,
  };
}

/** {@link planLifecycle} for an alert about to be stored at `nowMs` (expired when every `expires` has passed). */
export function planCandidateLifecycle(
  candidate: Pick<
    AlertCandidate,
    'id' | 'sender' | 'orgId' | 'msgType' | 'references' | 'expiresMs' | 'edition'
  >,
  nowMs: number,
  targets: ReadonlyMap<string, LifecycleTarget>,
  parked: readonly ParkedReference[],
  edition?: EditionTarget | null,
): LifecyclePlan {
  return planLifecycle(
    {
      id: candidate.id,
      sender: candidate.sender,
      orgId: candidate.orgId,
      msgType: candidate.msgType,
      references: candidate.references,
      expired: candidate.expiresMs !== null && candidate.expiresMs <= nowMs,
      edition: candidate.edition !== undefined && candidate.edition !== null,
    },
    targets,
    parked,
    edition,
  );
}
