/**
 * Polling an earthquake catalogue (USGS GeoJSON, EMSC GeoJSON or QuakeML): read the events,
 * keep the ones the hub cares about (event types, magnitude, region, age), let the shared
 * {@link QuakeRegistry} say whether each is new, changed, withdrawn, unchanged or another
 * catalogue's report of a known quake, and hand a CAP 1.2 alert (Alert, Update or Cancel) for
 * each of the first three to {@link IngestPort.ingestCap}, where it is routed like any alert.
 *
 * The alert's `sent` is the catalogue's update time (never earlier than the previous alert's
 * plus a second), so re-polling one version always yields the same CAP triple.
 */
import { buildCap } from '../../protocols/cap/build.ts';
import type { CapReference } from '../../protocols/cap/model.ts';
import { validateCapAlert } from '../../protocols/cap/validate.ts';
import type { QuakeEvent } from '../../protocols/quake/event.ts';
import type { FeltRadiusOptions } from '../../protocols/quake/felt-radius.ts';
import { quakeCapAlert } from '../../protocols/quake/to-cap.ts';
import { defaultXmlLimits } from '../../protocols/cap/xml-guard.ts';
import { FeedError, feedProblemOf, type FeedProblem } from '../errors.ts';
import { failedPoll, fetchFeedDocument, neverThrows } from '../poll.ts';
import type {
  FeedAdapter,
  FeedContext,
  FeedDefinition,
  FeedState,
  IngestPort,
  PollItem,
  PollResult,
} from '../ports.ts';
import { healthAfterSuccess, nextSeen } from '../state.ts';
import type { QuakeRegistry } from './quake-registry.ts';
import type { QuakeReader, QuakeReading } from './reading.ts';

/** A box in degrees: west, south, east, north (east < west crosses the antimeridian). */
export type QuakeBbox = readonly [west: number, south: number, east: number, north: number];

/** What a quake feed alerts on, and how. */
export interface QuakeFeedOptions {
  /** The CAP `<sender>` of the alerts the hub issues for quakes. */
  readonly sender: string;
  readonly senderName?: string;
  /** First part of the CAP identifiers (default `ewx-quake`). */
  readonly identifierPrefix?: string;
  /** Smallest magnitude alerted (default 0: every event the catalogue lists). */
  readonly minMagnitude?: number;
  /** Only epicentres in this box (default: anywhere). */
  readonly bbox?: QuakeBbox;
  /** QuakeML event types alerted (default `earthquake` only: no blasts or explosions). */
  readonly eventTypes?: readonly string[];
  /**
   * Events older than this at the time of the poll are not alerted (default 3 days; never
   * more than the registry's retention, or a forgotten quake would be alerted again).
   */
  readonly maxAgeMs?: number;
  /** Alert lifetime after `sent` (default 24 h). */
  readonly expiresAfterMs?: number;
  /** Felt-radius parameters of the circle. */
  readonly felt?: FeltRadiusOptions;
  /** Byte limit of the catalogue document (default 5 MB). */
  readonly maxBytes?: number;
}

/** What the generic quake poller needs besides the options. */
export interface QuakeFeedSetup {
  /** Feed type label (`usgs-geojson`, `emsc`). */
  readonly type: string;
  readonly accept: string;
  readonly read: QuakeReader;
}

const DAY_MS = 24 * 60 * 60 * 1000;

type EntryProblem = FeedProblem & { readonly key?: string; readonly url?: string };

function inBox(event: QuakeEvent, bbox: QuakeBbox | undefined): boolean {
  if (bbox === undefined) return true;
  const [west, south, east, north] = bbox;
  if (event.lat < south || event.lat > north) return false;
  return west <= east
    ? event.lon >= west && event.lon <= east
    : event.lon >= west || event.lon <= east;
}

/** The `sent` of the next alert about `event`: its catalogue update time, after `previous`. */
function sentFor(event: QuakeEvent, previousSentMs: number | undefined): number {
  const at = Math.floor(Math.max(event.updatedMs ?? event.timeMs, event.timeMs) / 1000) * 1000;
  return previousSentMs !== undefined && at <= previousSentMs ? previousSentMs + 1000 : at;
}

/** Creates the poller of one earthquake catalogue feed. */
export function createQuakeFeedAdapter(
  definition: FeedDefinition,
  ingest: IngestPort,
  registry: QuakeRegistry,
  setup: QuakeFeedSetup,
  options: QuakeFeedOptions,
): FeedAdapter {
  const maxBytes = options.maxBytes ?? defaultXmlLimits.maxBytes;
  const eventTypes = new Set((options.eventTypes ?? ['earthquake']).map((t) => t.toLowerCase()));
  const minMagnitude = options.minMagnitude ?? 0;
  const maxAgeMs = Math.min(options.maxAgeMs ?? 3 * DAY_MS, registry.retentionMs);

  function wanted(event: QuakeEvent, nowMs: number): boolean {
    return (
      eventTypes.has(event.eventType) &&
      event.magnitude >= minMagnitude &&
      inBox(event, options.bbox) &&
      event.timeMs >= nowMs - maxAgeMs
    );
  }

  async function poll(state: FeedState, ctx: FeedContext): Promise<PollResult> {
    const fetched = await fetchFeedDocument(definition, state, ctx, {
      accept: setup.accept,
      maxBytes,
    });
    if (fetched.kind === 'done') return fetched.result;
    let reading: QuakeReading;
    try {
      reading = setup.read(fetched.response.body, fetched.response.url);
    } catch (error) {
      return failedPoll(definition, state, ctx, error);
    }
    const nowMs = ctx.clock();
    const seen = new Set(state.seen);
    const errors: EntryProblem[] = [];
    const handled: string[] = [];
    // An unreadable feature is reported once, not at every poll of the same document.
    const problemKeys = new Set<string>();
    for (const problem of reading.problems) {
      const key = `unreadable:${problem.key}`;
      problemKeys.add(key);
      if (seen.has(key)) continue;
      handled.push(key);
      errors.push({
        ...feedProblemOf(
          new FeedError('FEED_UNREADABLE', `event ${problem.key}: ${problem.message}`),
        ),
        key: problem.key,
      });
      ctx.log.warn(
        { feedId: definition.id, event: problem.key },
        `catalogue event skipped: ${problem.message}`,
      );
    }
    const events = reading.events
      .filter((e) => wanted(e, nowMs))
      .sort((a, b) => a.timeMs - b.timeMs);
    const items: PollItem[] = [];
    // True when an alert could not be handed over and must be tried again.
    let retry = false;
    for (const event of events) {
      if (ctx.signal?.aborted === true) break;
      const decision = registry.consider(event, nowMs);
      if (decision.kind === 'unchanged' || decision.kind === 'duplicate') continue;
      const previousAlert = decision.kind === 'alert' ? undefined : decision.previous;
      const sentMs = sentFor(event, previousAlert?.sentMs);
      const alert = quakeCapAlert(event, {
        sender: options.sender,
        sentMs,
        msgType:
          decision.kind === 'alert' ? 'Alert' : decision.kind === 'update' ? 'Update' : 'Cancel',
        ...(previousAlert === undefined ? {} : { references: [previousAlert.reference] }),
        ...(decision.kind === 'cancel' ? {} : { alsoReportedBy: decision.aliases }),
        ...(options.identifierPrefix === undefined
          ? {}
          : { identifierPrefix: options.identifierPrefix }),
        ...(options.senderName === undefined ? {} : { senderName: options.senderName }),
        ...(options.expiresAfterMs === undefined ? {} : { expiresAfterMs: options.expiresAfterMs }),
        ...(options.felt === undefined ? {} : { felt: options.felt }),
      });
      const invalid = validateCapAlert(alert, { now: nowMs }).filter((r) => r.level === 'error');
      if (invalid.length > 0) {
        const first = invalid[0];
        errors.push({
          ...feedProblemOf(
            new FeedError(
              'FEED_UNREADABLE',
              `event ${event.id} gives an invalid CAP alert: ${first?.message ?? ''}`,
            ),
          ),
          key: event.id,
        });
        ctx.log.error(
          { feedId: definition.id, event: event.id, reasons: invalid },
          'quake alert invalid; not sent',
        );
        continue;
      }
      const reference: CapReference = {
        sender: alert.sender,
        identifier: alert.identifier,
        sent: alert.sent,
      };
      try {
        const answer = await ingest.ingestCap(new TextEncoder().encode(buildCap(alert)), {
          feedId: definition.id,
          orgId: definition.orgId,
          url: event.url ?? definition.url,
          contentType: 'application/cap+xml',
          entryId: event.id,
        });
        // Recorded even when rejected: the same alert would be rejected again at every poll.
        registry.issued(decision.key, event, reference, sentMs);
        items.push({
          key: event.id,
          url: event.url ?? definition.url,
          outcome: answer.outcome,
          ...(answer.id === undefined ? {} : { id: answer.id }),
        });
        if (answer.outcome === 'rejected')
          ctx.log.error(
            { feedId: definition.id, event: event.id, reasons: answer.reasons?.slice(0, 3) },
            'quake alert rejected by ingest',
          );
      } catch (error) {
        // Not recorded as issued: the next poll decides again and retries the same triple.
        retry = true;
        const problem = { ...feedProblemOf(error), key: event.id };
        errors.push(problem);
        ctx.log.warn(
          { feedId: definition.id, event: event.id, code: problem.code },
          `quake alert not ingested, retried at the next poll: ${problem.message}`,
        );
      }
    }
    const health = healthAfterSuccess(state.health, ctx.clock(), items.length, errors);
    ctx.log.info(
      {
        feedId: definition.id,
        events: reading.events.length,
        items: items.length,
        errors: errors.length,
      },
      'quake feed polled',
    );
    const next = fetched.state;
    return {
      state: {
        // Unreadable-feature keys are kept while the document lists them.
        seen: nextSeen(state.seen, handled, problemKeys),
        attempts: {},
        health,
        // An alert still to send must not hide behind a 304 at the next poll.
        ...(retry || next.etag === undefined ? {} : { etag: next.etag }),
        ...(retry || next.lastModified === undefined ? {} : { lastModified: next.lastModified }),
      },
      health,
      report: { status: 'ok', entries: reading.events.length, items, errors, deferred: 0 },
    };
  }

  return { id: definition.id, type: setup.type, poll: neverThrows(definition, poll) };
}
