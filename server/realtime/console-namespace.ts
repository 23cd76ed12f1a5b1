/**
 * socket.io namespace `/console`: duty officers' consoles. The handshake carries a session
 * token (`auth: {token, lastSeq, exercises}`); each socket joins its organisation's rooms;
 * on connect the hub replays every event after `lastSeq` this organisation may see, in order,
 * then `replayed`; live events arrive through the rooms (see `publish.ts`); `sync` sends again
 * what a console missed; `ack` acknowledges an alert.
 */
import type { Namespace, Socket } from 'socket.io';
import { HubError, isHubError } from '../../protocols/errors.ts';
import type {
  AckAnswer,
  ClientToServerEvents,
  HandshakeRefusal,
  ServerToClientEvents,
  SyncAnswer,
} from '../../protocols/realtime/events.ts';
import { ApiScope } from '../auth/api-keys.ts';
import { hashSessionToken } from '../auth/users.ts';
import { acknowledgeAlert } from '../delivery/acknowledge.ts';
import { personPrincipal } from '../http/auth.ts';
import type { Principal } from '../ingest/ingest-alert.ts';
import type { Logger } from '../log.ts';
import type { Region } from '../region/region.ts';
import { SecurityEvent, type SecurityAudit } from '../security/audit.ts';
import { receives, socketEventOf } from '../store/events.ts';
import type { HubEvent, HubStore } from '../store/ports.ts';
import { roomsOf } from './rooms.ts';

/** What a connected console is, kept on the socket (small: there are thousands). */
export interface ConsoleData {
  readonly principal: Principal;
  readonly exercises: boolean;
  /** Epoch ms after which the session no longer holds (checked on every heartbeat). */
  readonly expiresMs: number;
}

/** The typed namespace. */
export type ConsoleNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  ConsoleData
>;
type ConsoleSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  ConsoleData
>;

/** What the namespace needs. */
export interface ConsoleDeps {
  readonly store: HubStore;
  readonly region: Region;
  readonly log: Logger;
  readonly now: () => number;
  /** Refused handshakes are counted in the security audit log (per address and code). */
  readonly audit?: SecurityAudit;
  /**
   * Whether the principal's organisation may see incident report `incidentId` now. Replay sends
   * a report's events only then: a report no longer shared with an organisation must not reach
   * its next console again (its `withdrawn` event still does). Absent: stored audiences only.
   */
  readonly incidentVisibleTo?: (incidentId: string, principal: Principal) => Promise<boolean>;
}

/** The scope each console request needs (roles are enforced per event, not only at connect). */
const eventScopes = { sync: ApiScope.alertsRead, ack: ApiScope.alertsAck } as const;

function mayUse(principal: Principal, event: keyof typeof eventScopes): boolean {
  return principal.scopes.includes(eventScopes[event]) || principal.scopes.includes(ApiScope.admin);
}

function forbidden(event: keyof typeof eventScopes): { error: { code: string; message: string } } {
  return {
    error: {
      code: 'FORBIDDEN',
      message: `${event} needs a role with the scope ${eventScopes[event]}`,
    },
  };
}

/** Events read from the store per page when replaying. */
const REPLAY_PAGE = 2000;

/** A refusal the client sees in `connect_error` (`err.message`, `err.data.code`). */
function refusal(code: string, message: string): Error & { data: HandshakeRefusal } {
  return Object.assign(new Error(message), { data: { code, message } });
}

function readAuth(auth: unknown): { token: string; lastSeq: number; exercises: boolean } {
  const a = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<string, unknown>;
  if (typeof a.token !== 'string' || a.token === '')
    throw new HubError(
      'AUTH_REQUIRED',
      'a console needs a session token: connect with auth {token, lastSeq}',
    );
  if (!a.token.startsWith('ewxs_'))
    throw new HubError(
      'AUTH_INVALID',
      "a console needs a person's session token (POST /api/v1/session), not an API key",
    );
  const lastSeq = a.lastSeq ?? 0;
  if (typeof lastSeq !== 'number' || !Number.isSafeInteger(lastSeq) || lastSeq < 0)
    throw new HubError('REQUEST_INVALID', 'auth.lastSeq must be a sequence number (0 or more)');
  return { token: a.token, lastSeq, exercises: a.exercises === true };
}

/** Sends one stored event to one socket, flagged as sent again. */
function sendAgain(socket: ConsoleSocket, event: HubEvent): void {
  const payload = { ...event.data, seq: event.seq, at: event.at, replay: true };
  // The payload types are enforced where events are built (server/store/events.ts).
  (socket.emit as (name: string, payload: unknown) => boolean)(socketEventOf(event.type), payload);
}

/**
 * Sends again every event after `after` that this socket may see, except those in `have`;
 * answers how far that is complete and how many were sent.
 */
async function resend(
  deps: Pick<ConsoleDeps, 'store' | 'incidentVisibleTo'>,
  socket: ConsoleSocket,
  after: number,
  have: ReadonlySet<number>,
): Promise<{ upTo: number; sent: number }> {
  const principal = socket.data.principal;
  const viewer = { orgId: principal.orgId, exercises: socket.data.exercises };
  // Incident reports this organisation may see now, asked once per report and replay.
  const visibleNow = new Map<string, Promise<boolean>>();
  const stillShared = (event: HubEvent): Promise<boolean> | boolean => {
    const visibleTo = deps.incidentVisibleTo;
    if (event.type !== 'incident' || visibleTo === undefined) return true;
    if ((event.data as { kind?: string }).kind === 'withdrawn') return true;
    let known = visibleNow.get(event.subjectId);
    if (known === undefined) {
      known = visibleTo(event.subjectId, principal);
      visibleNow.set(event.subjectId, known);
    }
    return known;
  };
  let upTo = after;
  let sent = 0;
  for (;;) {
    const page = await deps.store.eventsAfter(upTo, REPLAY_PAGE);
    if (!socket.connected) return { upTo, sent };
    for (const event of page) {
      if (!receives(event, viewer) || have.has(event.seq)) continue;
      const shared = stillShared(event);
      if (shared !== true && !(await shared)) continue;
      sendAgain(socket, event);
      sent += 1;
    }
    const last = page[page.length - 1];
    if (last !== undefined) upTo = last.seq;
    if (page.length < REPLAY_PAGE) return { upTo, sent };
  }
}

function errorAnswer(error: unknown): { error: { code: string; message: string } } {
  return isHubError(error)
    ? { error: { code: error.code, message: error.message } }
    : { error: { code: 'INTERNAL', message: 'the hub could not do this; try again' } };
}

/** Wires authentication, replay, `sync` and `ack` into the namespace. */
export function setUpConsoleNamespace(nsp: ConsoleNamespace, deps: ConsoleDeps): void {
  const lastSeqOf = new WeakMap<ConsoleSocket, number>();

  const refused = (socket: ConsoleSocket, code: string): void => {
    deps.audit?.count({
      type: SecurityEvent.handshakeRefused,
      orgId: null,
      actor: { kind: 'anonymous', id: null, name: null },
      address: socket.handshake.address,
      details: { code },
    });
  };

  nsp.use((socket, next) => {
    let auth: ReturnType<typeof readAuth>;
    try {
      auth = readAuth(socket.handshake.auth);
    } catch (error) {
      const e = error as HubError;
      refused(socket, e.code);
      next(refusal(e.code, e.message));
      return;
    }
    const nowMs = deps.now();
    personPrincipal(deps.store, auth.token, nowMs)
      .then(async (principal) => {
        const session = await deps.store.findSessionByHash(hashSessionToken(auth.token));
        socket.data = {
          principal,
          exercises: auth.exercises,
          expiresMs: Date.parse(session?.expiresAt ?? new Date(nowMs).toISOString()),
        };
        lastSeqOf.set(socket, auth.lastSeq);
        await socket.join([...roomsOf(principal.orgId, auth.exercises), sessionRoom(auth.token)]);
        next();
      })
      .catch((error: unknown) => {
        refused(socket, isHubError(error) ? error.code : 'INTERNAL');
        if (isHubError(error)) next(refusal(error.code, error.message));
        else {
          deps.log.error({ err: error }, 'console handshake failed');
          next(refusal('INTERNAL', 'the hub could not check the session; try again'));
        }
      });
  });

  nsp.on('connection', (socket) => {
    // Joined the rooms before reading the store: an event written meanwhile arrives live (and
    // the console holds it until `replayed`), so nothing falls between replay and live.
    const after = lastSeqOf.get(socket) ?? 0;
    resend(deps, socket, after, new Set())
      .then(({ upTo, sent }) => {
        if (socket.connected) socket.emit('replayed', { count: sent, upTo });
      })
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'replay to a console failed; disconnecting it');
        socket.disconnect(true);
      });

    socket.on('sync', (request, answer) => {
      if (typeof answer !== 'function') return;
      if (!mayUse(socket.data.principal, 'sync')) {
        answer(forbidden('sync'));
        return;
      }
      const after = (request as { after?: unknown } | undefined)?.after;
      const have = (request as { have?: unknown } | undefined)?.have;
      if (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0) {
        answer({
          error: { code: 'REQUEST_INVALID', message: 'sync needs {after: sequence number}' },
        });
        return;
      }
      const haveSet = new Set(
        Array.isArray(have) ? have.filter((s): s is number => typeof s === 'number') : [],
      );
      resend(deps, socket, after, haveSet)
        .then((result) => {
          answer(result satisfies SyncAnswer);
        })
        .catch((error: unknown) => {
          answer(errorAnswer(error));
        });
    });

    socket.on('ack', (request, answer) => {
      if (typeof answer !== 'function') return;
      if (!mayUse(socket.data.principal, 'ack')) {
        answer(forbidden('ack'));
        return;
      }
      const alertId = (request as { alertId?: unknown } | undefined)?.alertId;
      if (typeof alertId !== 'string' || alertId === '') {
        answer({ error: { code: 'REQUEST_INVALID', message: 'ack needs {alertId}' } });
        return;
      }
      acknowledgeAlert(deps.store, deps.region, socket.data.principal, alertId, deps.now())
        .then(({ outcome, ack }) => {
          answer({
            outcome,
            ack: { seq: ack.seq, at: ack.at, alertId: ack.alertId, orgId: ack.orgId, by: ack.by },
          } satisfies AckAnswer);
        })
        .catch((error: unknown) => {
          answer(errorAnswer(error));
        });
    });
  });
}

/** The room of one session's sockets (closed together on log-out, on every node). */
export function sessionRoom(tokenOrHash: string): string {
  const hash = tokenOrHash.startsWith('ewxs_') ? hashSessionToken(tokenOrHash) : tokenOrHash;
  return `session:${hash.slice(0, 32)}`;
}
