/**
 * Where incident reports are kept (issue 6): an extension module of the hub store, one
 * implementation per adapter (`./sqlite-incidents.ts`, `./mongo-incidents.ts`) on the store's
 * unit-of-work API, so an incident change and its `incident` events commit together in the
 * store's own sequence.
 *
 * A report is kept as one aggregate, {@link IncidentRecord}: the report, its thread, the
 * acknowledgements of its recipients, the offers made for its needs and its attachments. Every
 * change reads the aggregate, decides the next one with a pure function and writes it and its
 * events in one durable write, so nothing is ever half-stored.
 */
import type {
  Hazard,
  IncidentAuthor,
  IncidentOffer,
  IncidentReport,
  IncidentStatus,
  IncidentThreadEntry,
} from '../../protocols/incident/index.ts';
import type { AckActor, NewHubEvent, Visibility } from '../store/ports.ts';

/** One recipient organisation's receipt of a report. */
export interface IncidentAck {
  readonly orgId: string;
  readonly by: AckActor;
  readonly at: string;
  /** Sequence number of its `incident` event. */
  readonly seq: number;
}

/** A file attached to a report; the bytes are kept by content hash (`./attachments/`). */
export interface IncidentAttachment {
  /** SHA-256 of the bytes, hex: the file's identity and its name in storage. */
  readonly hash: string;
  /** The media type, declared by the sender and confirmed by the file's magic bytes. */
  readonly contentType: string;
  readonly bytes: number;
  /** The file name the sender gave, if any. */
  readonly name?: string;
  readonly at: string;
  /** Organisation that attached it. */
  readonly org: string;
  readonly author: IncidentAuthor;
}

/** Everything the hub keeps about one report. */
export interface IncidentRecord {
  readonly report: IncidentReport;
  /** Oldest first. */
  readonly thread: readonly IncidentThreadEntry[];
  readonly acks: readonly IncidentAck[];
  readonly offers: readonly IncidentOffer[];
  readonly attachments: readonly IncidentAttachment[];
  /** Sequence number of the event that created the report. */
  readonly createdSeq: number;
  /** Sequence number of the newest event about the report. */
  readonly seq: number;
}

/** Filters of the incident list; every one optional but `limit` and `visibleTo`. */
export interface IncidentQuery {
  readonly hazard?: Hazard;
  readonly status?: IncidentStatus;
  /** Reports of organisations of this country (ISO 3166-1 alpha-2). */
  readonly country?: string;
  /** Reports of this organisation. */
  readonly org?: string;
  /** Reports linked to this alert. */
  readonly alert?: string;
  /** Only reports changed at or after this instant (epoch ms). */
  readonly sinceMs?: number;
  /** Only reports created before this sequence number (the cursor of the previous page). */
  readonly beforeSeq?: number;
  readonly limit: number;
  readonly visibleTo: Visibility;
}

/** What a change decided: the next aggregate, its events and what to answer. */
export interface IncidentChange<T> {
  /** The aggregate to store (its `seq`/`createdSeq` are set by {@link IncidentChange.next}). */
  readonly next: (seqs: readonly number[]) => IncidentRecord;
  /** Events to append, in order; the first one's number is the change's `seq`. */
  readonly events: readonly NewHubEvent[];
  readonly result: (seqs: readonly number[]) => T;
}

/**
 * Decides a change from the stored aggregate (undefined when there is none): pure, may run
 * more than once (retries), throws a HubError to refuse (nothing is written). Answering
 * `null` writes nothing.
 */
export type IncidentDecision<T> = (current: IncidentRecord | undefined) => IncidentChange<T> | null;

/** The incident store of one hub store. */
export interface IncidentStore {
  /** Creates tables or collections and indexes (idempotent). */
  init(): Promise<void>;
  get(id: string): Promise<IncidentRecord | undefined>;
  /** Reports `query.visibleTo` may see, newest created first. */
  list(query: IncidentQuery): Promise<IncidentRecord[]>;
  /**
   * Reads the aggregate `id`, runs `decide` on it and stores what it decided with its events,
   * atomically and durably. Answers the decision's result, or `undefined` when `decide`
   * answered null (nothing written).
   */
  change<T>(id: string, decide: IncidentDecision<T>): Promise<T | undefined>;
}

/** The indexed columns/fields of a report, for lists and visibility in the store's query. */
export interface IncidentIndexFields {
  readonly org: string;
  readonly country: string | null;
  readonly hazard: string;
  readonly status: string;
  readonly sharedAll: boolean;
  readonly sharedWith: readonly string[];
  readonly alerts: readonly string[];
  readonly updatedMs: number;
}

/** The fields both adapters index, from a record and the region's organisations. */
export function incidentIndexFields(
  record: IncidentRecord,
  countryOf: (orgId: string) => string | null,
): IncidentIndexFields {
  const { report } = record;
  return {
    org: report.org,
    country: countryOf(report.org),
    hazard: report.hazard,
    status: report.status,
    sharedAll: report.sharedWith === 'all',
    sharedWith: report.sharedWith === 'all' ? [] : [...report.sharedWith],
    alerts: [...report.alerts],
    updatedMs: Date.parse(report.updatedAt),
  };
}
