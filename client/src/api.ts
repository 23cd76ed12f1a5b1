/**
 * The hub's REST API as the console uses it: log-in, alerts, acknowledgement, log-out, and
 * authenticated calls and file downloads for the other API modules.
 */
import type { AckDto, AlertDetailDto, AlertSummaryDto, Session } from './api-types.ts';
import type { RoutingDto } from './routing-section.ts';

/**
 * A refused or failed request: the hub's error code (or NETWORK), its message and its
 * `details` (e.g. `reasons` of a refused incident report).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** The error a refused answer carries (its JSON body when there is one). */
async function refusal(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  return new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? response.statusText,
    body.error?.details,
  );
}

async function send(path: string, init: RequestInit, token?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(path, { ...init, headers, cache: 'no-store' });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
}

async function request<T>(path: string, init: RequestInit, token?: string): Promise<T> {
  const response = await send(path, init, token);
  if (!response.ok) throw await refusal(response);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => ({}))) as T;
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

  /**
   * A file the hub serves only with the session token (an incident's attachment): a plain
   * link could not send it, so the bytes are fetched and handed to the browser as a Blob.
   */
  async download(path: string): Promise<Blob> {
    const response = await send(path, { headers: { accept: '*/*' } }, this.token);
    if (!response.ok) {
      const error = await refusal(response);
      if (error.status === 401) this.onUnauthorised(error);
      throw error;
    }
    return response.blob();
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
