/**
 * The hub's {@link IngestPort}: a feed's CAP message goes through `ingestCap`, the path of
 * `POST /api/v1/alerts`, on behalf of the feed's organisation, so validation, dedup, lifecycle,
 * routing, hub alerts and quarantine are exactly those of a push. What the message itself is
 * refused for becomes a `rejected` answer (already quarantined with its reasons); only the hub
 * failing to decide (store down) is thrown, and the poller tries the entry again later.
 */
import type { IngestMeta, IngestPort, IngestResult } from '../../feeds/ports.ts';
import type { Reason } from '../../protocols/cap/reasons.ts';
import { isHubError, type ErrorCode } from '../../protocols/errors.ts';
import { ingestCap, type IngestContext, type Principal } from '../ingest/ingest-alert.ts';
import type { HubMetrics } from '../metrics.ts';
import type { FeedStore } from './feed-store.ts';

/** What the feed ingest port needs. */
export interface FeedIngestDeps extends IngestContext {
  readonly feeds: FeedStore;
  readonly metrics?: HubMetrics;
}

/** The principal a feed posts as: a key of the feed's organisation that may post for anyone. */
export function feedPrincipal(feedId: string, orgId: string): Principal {
  return {
    kind: 'key',
    keyId: null,
    userId: null,
    name: `feed ${feedId}`,
    role: null,
    orgId,
    scopes: ['cap:submit'],
    senders: null,
    stations: null,
  };
}

/** Codes that say something about the message, not about the hub. */
function isMessageRefusal(code: ErrorCode): boolean {
  return (
    code.startsWith('CAP_') ||
    code.startsWith('XML_') ||
    code === 'UNSUPPORTED_MEDIA_TYPE' ||
    code === 'SENDER_FORBIDDEN'
  );
}

function reasonsOf(details: unknown): readonly Reason[] {
  const reasons = (details as { reasons?: unknown } | undefined)?.reasons;
  return Array.isArray(reasons) ? (reasons as Reason[]) : [];
}

/** Creates the ingest port feeds hand their CAP messages to. */
export function createFeedIngestPort(deps: FeedIngestDeps): IngestPort {
  /**
   * Notes which feed delivered a language edition (the store has already joined it to its
   * warning, whatever the path); a failure here must not undo the stored alert.
   */
  async function noteEdition(alertId: string, meta: IngestMeta): Promise<void> {
    try {
      const record = await deps.store.getAlert(alertId);
      const language = record?.language ?? null;
      const warning = record?.editionOf ?? null;
      if (language === null || warning === null) return;
      const editions = await deps.feeds.noteEdition(warning, {
        alertId,
        language,
        feedId: meta.feedId,
      });
      if (editions.length > 1)
        deps.log?.info(
          { feedId: meta.feedId, alertId, editions },
          `alert ${alertId} is the ${language} edition of a warning also published in ${editions
            .filter((e) => e.alertId !== alertId)
            .map((e) => e.language)
            .join(', ')}`,
        );
    } catch (err) {
      deps.log?.warn({ err, alertId }, 'language edition not noted');
    }
  }

  return {
    async ingestCap(bytes: Uint8Array, meta: IngestMeta): Promise<IngestResult> {
      const started = process.hrtime.bigint();
      const observe = (outcome: string): void => {
        deps.metrics?.ingests.inc({ outcome });
        deps.metrics?.ingestSeconds.observe(
          { outcome },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      };
      try {
        const answer = await ingestCap(
          deps,
          feedPrincipal(meta.feedId, meta.orgId),
          bytes,
          meta.contentType,
        );
        const outcome = answer.body.duplicate ? 'duplicate' : 'created';
        observe(outcome);
        if (outcome === 'created') await noteEdition(answer.body.id, meta);
        return { outcome, id: answer.body.id, reasons: answer.body.warnings };
      } catch (error) {
        if (isHubError(error) && isMessageRefusal(error.code)) {
          observe(error.code);
          return { outcome: 'rejected', reasons: reasonsOf(error.details) };
        }
        observe(isHubError(error) ? error.code : 'INTERNAL');
        throw error;
      }
    },
  };
}
