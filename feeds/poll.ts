/**
 * The part every poller shares: GET the feed document with the state's validators, and turn
 * a failure or a 304 into a finished {@link PollResult}.
 */
import { feedProblemOf } from './errors.ts';
import type {
  FeedContext,
  FeedDefinition,
  FeedState,
  PollResult,
  SafeFetchResponse,
} from './ports.ts';
import { healthAfterFailure, healthAfterSuccess, initialFeedState } from './state.ts';

/** The outcome of fetching a feed document. */
export type FeedDocumentFetch =
  | { readonly kind: 'done'; readonly result: PollResult }
  | {
      readonly kind: 'fetched';
      readonly response: SafeFetchResponse;
      /** The state with the new validators (health unchanged). */
      readonly state: FeedState;
    };

/** The finished poll of a feed that could not be fetched or read. */
export function failedPoll(
  definition: FeedDefinition,
  state: FeedState,
  ctx: FeedContext,
  error: unknown,
): PollResult {
  const problem = { ...feedProblemOf(error), url: definition.url };
  ctx.log.error(
    { feedId: definition.id, code: problem.code },
    `feed poll failed: ${problem.message}`,
  );
  const health = healthAfterFailure(state.health, ctx.clock(), problem);
  return {
    state: { ...state, health },
    health,
    report: { status: 'failed', entries: 0, items: [], errors: [problem], deferred: 0 },
  };
}

function withValidators(state: FeedState, response: SafeFetchResponse): FeedState {
  return {
    seen: state.seen,
    attempts: state.attempts,
    health: state.health,
    ...(response.etag === undefined ? {} : { etag: response.etag }),
    ...(response.lastModified === undefined ? {} : { lastModified: response.lastModified }),
  };
}

/** GETs the feed document conditionally; a failure or a 304 finishes the poll. */
export async function fetchFeedDocument(
  definition: FeedDefinition,
  state: FeedState,
  ctx: FeedContext,
  request: { readonly accept: string; readonly maxBytes: number },
): Promise<FeedDocumentFetch> {
  let response: SafeFetchResponse;
  try {
    response = await ctx.fetch({
      url: definition.url,
      accept: request.accept,
      maxBytes: request.maxBytes,
      ...(state.etag === undefined ? {} : { etag: state.etag }),
      ...(state.lastModified === undefined ? {} : { lastModified: state.lastModified }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
  } catch (error) {
    return { kind: 'done', result: failedPoll(definition, state, ctx, error) };
  }
  const next = withValidators(state, response);
  if (!response.notModified) return { kind: 'fetched', response, state: next };
  const health = healthAfterSuccess(state.health, ctx.clock(), 0, []);
  ctx.log.debug({ feedId: definition.id }, 'feed not modified');
  return {
    kind: 'done',
    result: {
      state: { ...next, health },
      health,
      report: { status: 'not-modified', entries: 0, items: [], errors: [], deferred: 0 },
    },
  };
}

/**
 * `poll` as the port promises it: an unexpected error (a bug, not a feed problem) still ends
 * as a failed poll with the error recorded, never as a rejection that could stop a scheduler.
 */
export function neverThrows(
  definition: FeedDefinition,
  poll: (state: FeedState, ctx: FeedContext) => Promise<PollResult>,
): (state: FeedState | undefined, ctx: FeedContext) => Promise<PollResult> {
  return async (previous, ctx) => {
    const state = previous ?? initialFeedState();
    try {
      return await poll(state, ctx);
    } catch (error) {
      return failedPoll(definition, state, ctx, error);
    }
  };
}
