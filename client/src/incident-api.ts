/** The incident routes of the hub's REST API, as the console uses them. */
import type { IncidentReportInput } from '../../protocols/incident/model.ts';
import type { HubApi } from './api.ts';
import type { IncidentDetailDto, IncidentSummaryDto } from './incident-types.ts';

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
    return this.api.call(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
  }

  async acknowledge(id: string): Promise<void> {
    await this.api.call(`${base}/${encodeURIComponent(id)}/ack`, { method: 'POST' });
  }

  async post(id: string, text: Readonly<Record<string, string>>): Promise<void> {
    await this.api.call(`${base}/${encodeURIComponent(id)}/thread`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  }
}
