/**
 * The incident routes of the hub's REST API, as the console uses them (README "For
 * ministries: incident reports"): list, read, create, update, post, acknowledge, offer and
 * answer offers, attach files and download them.
 */
import type {
  IncidentOfferAnswer,
  IncidentReportInput,
  IncidentUpdate,
} from '../../protocols/incident/model.ts';
import type { HubApi } from './api.ts';
import type { IncidentDetailDto, IncidentSummaryDto } from './incident-types.ts';

const json = { 'content-type': 'application/json' };

/** What `PATCH /api/v1/incidents/:id` answers. */
export interface UpdatedIncidentDto {
  readonly id: string;
  /** Null when nothing changed. */
  readonly seq: number | null;
  /** The report's version after the update (for If-Match). */
  readonly etag: string;
  readonly changedFields: readonly string[];
}

/** What a partner offers towards a need (`from` is filled in by the hub). */
export interface OfferInput {
  readonly needId: string;
  readonly quantity: number;
  readonly note?: string;
}

const base = '/api/v1/incidents';

/** Incident reports through an authenticated {@link HubApi}. */
export class IncidentApi {
  constructor(private readonly api: HubApi) {}

  /** The newest reports the organisation may see. */
  async list(limit = 200): Promise<IncidentSummaryDto[]> {
    const answer = await this.api.call<{ items: IncidentSummaryDto[] }>(`${base}?limit=${limit}`);
    return answer.items;
  }

  detail(id: string): Promise<IncidentDetailDto> {
    return this.api.call<IncidentDetailDto>(`${base}/${encodeURIComponent(id)}`);
  }

  create(report: IncidentReportInput): Promise<{ id: string; seq: number }> {
    return this.api.call(base, { method: 'POST', headers: json, body: JSON.stringify(report) });
  }

  async acknowledge(id: string): Promise<void> {
    await this.api.call(`${base}/${encodeURIComponent(id)}/ack`, { method: 'POST' });
  }

  async post(id: string, text: Readonly<Record<string, string>>): Promise<void> {
    await this.api.call(`${base}/${encodeURIComponent(id)}/thread`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ text }),
    });
  }

  /**
   * Changes the fields `update` carries (the reporting organisation only); with `etag` (the
   * report's version the edit started from), only if nobody changed it since
   * (`INCIDENT_CHANGED` otherwise).
   */
  update(id: string, update: IncidentUpdate, etag?: string): Promise<UpdatedIncidentDto> {
    return this.api.call(`${base}/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: etag === undefined ? json : { ...json, 'if-match': etag },
      body: JSON.stringify(update),
    });
  }

  async offer(id: string, offer: OfferInput): Promise<void> {
    await this.api.call(`${base}/${encodeURIComponent(id)}/offers`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(offer),
    });
  }

  async answerOffer(id: string, offerId: string, answer: IncidentOfferAnswer): Promise<void> {
    const path = `${base}/${encodeURIComponent(id)}/offers/${encodeURIComponent(offerId)}/answer`;
    await this.api.call(path, { method: 'POST', headers: json, body: JSON.stringify(answer) });
  }

  /** Uploads a file as it is, with its own media type and name. */
  async attach(id: string, file: File): Promise<void> {
    const name = file.name === '' ? '' : `?name=${encodeURIComponent(file.name)}`;
    await this.api.call(`${base}/${encodeURIComponent(id)}/attachments${name}`, {
      method: 'POST',
      // An unknown type is sent as such: the hub names what it accepts.
      headers: { 'content-type': file.type === '' ? 'application/octet-stream' : file.type },
      body: file,
    });
  }

  /** An attachment's bytes (`href` from the report). */
  download(href: string): Promise<Blob> {
    return this.api.download(href);
  }
}
