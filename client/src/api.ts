/** The hub's REST API as the console uses it: log-in, alerts, acknowledgement, log-out. */
import type { AckDto, AlertDetailDto, AlertSummaryDto, Session } from './api-types.ts';
import type { RoutingDto } from './routing-section.ts';

/** A refused or failed request: the hub's error code (or NETWORK) and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function request<T>(path: string, init: RequestInit, token?: string): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, cache: 'no-store' });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as T & ErrorBody;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.error?.code ?? `HTTP_${response.status}`,
      body.error?.message ?? response.statusText,
    );
  }
  return body;
}

/** `POST /api/v1/session`. */
export function logInRequest(name: string, password: string): Promise<Session> {
  return request<Session>('/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
}

/** The API with a session token; `onUnauthorised` runs when the hub no longer accepts it. */
export class HubApi {
  constructor(
    private readonly token: string,
    private readonly onUnauthorised: (error: ApiError) => void,
  ) {}

  /** A request with the session token (for the other API modules). */
  async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    try {
      return await request<T>(path, init, this.token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.onUnauthorised(error);
      throw error;
    }
  }

  /** The newest alerts the organisation may see (newest first). */
  async listAlerts(limit = 200): Promise<AlertSummaryDto[]> {
    const answer = await this.call<{ items: AlertSummaryDto[] }>(`/api/v1/alerts?limit=${limit}`);
    return answer.items;
  }

  alertDetail(id: string): Promise<AlertDetailDto> {
    return this.call<AlertDetailDto>(`/api/v1/alerts/${encodeURIComponent(id)}`);
  }

  /** Why the alert concerns whom (the routing decision). */
  alertRouting(id: string): Promise<RoutingDto> {
    return this.call<RoutingDto>(`/api/v1/alerts/${encodeURIComponent(id)}/routing`);
  }

  async acknowledge(id: string): Promise<AckDto> {
    const answer = await this.call<{ outcome: string; ack: AckDto }>(
      `/api/v1/alerts/${encodeURIComponent(id)}/ack`,
      { method: 'POST' },
    );
    return answer.ack;
  }

  /** Ends the session at the hub (its consoles are closed too). */
  async logOut(): Promise<void> {
    await this.call<undefined>('/api/v1/session', { method: 'DELETE' });
  }
}
