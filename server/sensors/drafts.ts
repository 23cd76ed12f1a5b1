/**
 * Approving, rejecting and issuing drafts (issue 4, rule 4). Approval is a compare-and-set from
 * `pending` that keeps the CAP it will issue; the CAP then goes through the one ingest path as
 * the hub. So a draft yields exactly one hub alert: a second approval finds it no longer
 * pending and is refused, and a retry after a crash re-sends the same bytes, which the CAP
 * triple makes a duplicate.
 */
import { buildCap } from '../../protocols/cap/build.ts';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { HubError, isHubError } from '../../protocols/errors.ts';
import { ingestCap, type Principal } from '../ingest/ingest-alert.ts';
import { sensorHubPrincipal, type SensorDeps } from './context.ts';
import { buildDraftCap } from './draft-cap.ts';
import { DraftStatus, type DraftActor, type DraftRecord } from './draft.ts';
import type { StationState } from './station-state.ts';

/** The answer of approving a draft. */
export interface ApprovedDraft {
  readonly draft: DraftRecord;
  readonly hubAlertId: string;
}

/** The station's state changed between reading it and claiming the draft. */
class StaleState extends Error {}

const STALE_ATTEMPTS = 3;

function actorOf(principal: Principal): DraftActor {
  return {
    orgId: principal.orgId,
    name: principal.name,
    userId: principal.userId,
    keyId: principal.keyId,
  };
}

function notFound(id: string): HubError {
  return new HubError('NOT_FOUND', `no draft "${id}"`);
}

/** The refusal of a change to a draft that is no longer pending. */
function notPending(draft: DraftRecord): HubError {
  const what: Record<DraftStatus, string> = {
    pending: 'is pending',
    issuing: 'was approved and is being issued',
    issued: `was already approved and issued as hub alert ${draft.hubAlertId ?? '?'}`,
    rejected: 'was rejected',
    superseded: `was superseded${draft.supersededBy === null ? '' : ` by draft ${draft.supersededBy}`}`,
    failed: 'was approved but issuing it failed',
  };
  return new HubError('DRAFT_CONFLICT', `draft ${draft.id} ${what[draft.status]}`, {
    details: { status: draft.status, hubAlertId: draft.hubAlertId },
  });
}

/** The hub alert standing for a station, which an Update or Cancel references. */
async function standingHubAlert(
  deps: SensorDeps,
  state: StationState | undefined,
): Promise<CapAlert | undefined> {
  if (state?.hubAlertId === undefined || state.hubAlertId === null) return undefined;
  return (await deps.store.getAlert(state.hubAlertId))?.alert;
}

/** The CAP a draft would issue now, or null when there is nothing to issue. */
export async function draftCapNow(deps: SensorDeps, draft: DraftRecord): Promise<CapAlert | null> {
  const station = await deps.sensors.getStation(draft.station);
  if (station === undefined) return null;
  const state = await deps.sensors.getState(draft.station);
  const previousHub = await standingHubAlert(deps, state);
  return buildDraftCap({
    draft,
    station,
    region: deps.region,
    now: deps.now(),
    ...(previousHub === undefined ? {} : { previousHub }),
  });
}

/**
 * Claims a draft for issuing: from `pending` (an approval) or an `issuing` draft without CAP
 * (the rule's `issue`), keeping the CAP built against the station's current state. `mine` is
 * false when the draft was no longer in `from` (someone else claimed or decided it).
 */
async function claim(
  deps: SensorDeps,
  id: string,
  from: 'pending' | 'issuing',
  actor: DraftActor | null,
  note: string | null,
): Promise<{ draft: DraftRecord; mine: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const draft = await deps.sensors.getDraft(id);
    if (draft === undefined) throw notFound(id);
    if (draft.status !== from || draft.cap !== null) return { draft, mine: false };
    const state = await deps.sensors.getState(draft.station);
    const cap = await draftCapNow(deps, draft);
    const at = new Date(deps.now()).toISOString();
    try {
      const claimed = await deps.sensors.changeDraft(id, (current, now) => {
        if (current === undefined) throw notFound(id);
        if (current.status !== from || current.cap !== null) throw notPending(current);
        if ((now?.hubAlertId ?? null) !== (state?.hubAlertId ?? null)) throw new StaleState();
        const next: DraftRecord =
          cap === null
            ? {
                ...current,
                status: DraftStatus.superseded,
                decidedAt: at,
                decidedBy: actor,
                note: 'nothing to cancel: no hub alert stands for the station',
              }
            : {
                ...current,
                status: DraftStatus.issuing,
                cap: buildCap(cap),
                decidedAt: current.decidedAt ?? at,
                decidedBy: current.decidedBy ?? actor,
                note: note ?? current.note,
              };
        return { draft: next, result: next };
      });
      return { draft: claimed, mine: true };
    } catch (error) {
      if (!(error instanceof StaleState) || attempt >= STALE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Issues an `issuing` draft: builds and keeps its CAP if it has none (the rule's `issue`),
 * ingests it as the hub and records the hub alert. Safe to run again (start-up resumption).
 */
export async function issueDraft(deps: SensorDeps, id: string): Promise<DraftRecord> {
  const { draft } = await claim(deps, id, 'issuing', null, null);
  if (draft.status !== DraftStatus.issuing || draft.cap === null) return draft;
  let hubAlertId: string;
  try {
    const answer = await ingestCap(
      deps.ingest,
      sensorHubPrincipal(deps.region),
      Buffer.from(draft.cap, 'utf8'),
      'application/cap+xml',
    );
    hubAlertId = answer.body.id;
  } catch (error) {
    // A refused hub CAP is a bug to report, not a state to retry; a store failure is retried.
    if (!isHubError(error) || error.code === 'STORE_UNAVAILABLE') throw error;
    await deps.sensors.changeDraft(id, (current) => {
      if (current === undefined) throw notFound(id);
      const failed: DraftRecord = {
        ...current,
        status: DraftStatus.failed,
        error: `${error.code}: ${error.message}`,
      };
      return { draft: failed, result: failed };
    });
    throw new HubError('INTERNAL', `the hub CAP of draft ${id} was refused: ${error.message}`, {
      cause: error,
    });
  }
  const msgType = (await deps.store.getAlert(hubAlertId))?.alert.msgType;
  const issued = await deps.sensors.changeDraft(id, (current) => {
    if (current === undefined) throw notFound(id);
    const next: DraftRecord = { ...current, status: DraftStatus.issued, hubAlertId };
    return {
      draft: next,
      result: next,
      hubAlert: {
        id: hubAlertId,
        msgType: msgType === 'Update' || msgType === 'Cancel' ? msgType : 'Alert',
      },
    };
  });
  deps.log?.info(
    { draft: id, station: issued.station, hubAlert: hubAlertId },
    `hub alert issued for station ${issued.station} (${issued.transition.explanation})`,
  );
  return issued;
}

/** True when `principal` may approve and reject drafts: the hub's issuers (and admins). */
export function mayDecideDrafts(deps: Pick<SensorDeps, 'region'>, principal: Principal): boolean {
  return principal.orgId === deps.region.hubId;
}

function checkDecider(deps: SensorDeps, principal: Principal): void {
  if (!mayDecideDrafts(deps, principal))
    throw new HubError(
      'FORBIDDEN',
      `drafts are approved by issuers of the hub organisation (${deps.region.hubId}), not ${principal.orgId}`,
    );
}

/**
 * Approves a pending draft and issues its hub alert (exactly once).
 *
 * @throws HubError NOT_FOUND, FORBIDDEN (not the hub organisation), DRAFT_CONFLICT (not
 *   pending: approved, rejected or superseded before; or nothing left to cancel).
 */
export async function approveDraft(
  deps: SensorDeps,
  principal: Principal,
  id: string,
  note: string | null = null,
): Promise<ApprovedDraft> {
  checkDecider(deps, principal);
  const draft = await deps.sensors.getDraft(id);
  if (draft === undefined) throw notFound(id);
  if (draft.status !== DraftStatus.pending) throw notPending(draft);
  const claimed = await claim(deps, id, 'pending', actorOf(principal), note);
  if (!claimed.mine) throw notPending(claimed.draft);
  if (claimed.draft.status !== DraftStatus.issuing)
    throw new HubError(
      'DRAFT_CONFLICT',
      `draft ${id}: ${claimed.draft.note ?? 'nothing to issue'}`,
      {
        details: { status: claimed.draft.status },
      },
    );
  const issued = await issueDraft(deps, id);
  if (issued.hubAlertId === null) throw notPending(issued);
  return { draft: issued, hubAlertId: issued.hubAlertId };
}

/** Rejects a pending draft. @throws HubError NOT_FOUND, FORBIDDEN, DRAFT_CONFLICT. */
export async function rejectDraft(
  deps: SensorDeps,
  principal: Principal,
  id: string,
  reason: string | null = null,
): Promise<DraftRecord> {
  checkDecider(deps, principal);
  const at = new Date(deps.now()).toISOString();
  return deps.sensors.changeDraft(id, (current) => {
    if (current === undefined) throw notFound(id);
    if (current.status !== DraftStatus.pending) throw notPending(current);
    const next: DraftRecord = {
      ...current,
      status: DraftStatus.rejected,
      decidedAt: at,
      decidedBy: actorOf(principal),
      note: reason,
    };
    return { draft: next, result: next };
  });
}

/** Issues the drafts a stop left `issuing` (run at start-up); failures are logged. */
export async function resumeIssuingDrafts(deps: SensorDeps): Promise<number> {
  const drafts = await deps.sensors.listDrafts({ status: DraftStatus.issuing, limit: 1000 });
  for (const draft of drafts) {
    try {
      await issueDraft(deps, draft.id);
    } catch (err) {
      deps.log?.error({ err, draft: draft.id }, 'resuming a draft being issued failed');
    }
  }
  return drafts.length;
}
