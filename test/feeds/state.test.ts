import { expect } from 'chai';
import {
  healthAfterFailure,
  healthAfterSuccess,
  initialFeedState,
  isFeedStale,
  nextSeen,
} from '../../feeds/state.ts';

const problem = { code: 'FEED_TIMEOUT', message: 'slow', explanation: 'e', fix: 'f' };

describe('feed state', () => {
  it('counts failures in a row and clears them on success, keeping the last error', () => {
    let health = initialFeedState().health;
    health = healthAfterFailure(health, 1000, problem);
    health = healthAfterFailure(health, 2000, problem);
    expect(health).to.include({ consecutiveFailures: 2, lastErrorMs: 2000, lastPollMs: 2000 });
    health = healthAfterSuccess(health, 3000, 4, []);
    expect(health).to.include({
      consecutiveFailures: 0,
      lastSuccessMs: 3000,
      lastErrorMs: 2000,
      itemsReceived: 4,
    });
    expect(health.lastError?.code).to.equal('FEED_TIMEOUT');
  });

  it('keeps every seen key the feed still lists, then the newest others up to the bound', () => {
    const listed = new Set(['a', 'b', 'c']);
    expect(nextSeen(['x', 'y', 'z'], ['a', 'b', 'c'], listed, 4)).to.deep.equal([
      'a',
      'b',
      'c',
      'x',
    ]);
    expect(nextSeen(['x'], ['a', 'b', 'c'], listed, 2)).to.deep.equal(['a', 'b', 'c']);
  });

  it('says a feed is stale after twice its interval without success', () => {
    const health = { ...initialFeedState().health, lastSuccessMs: 0 };
    expect(isFeedStale(health, 119_000, 60_000, 0)).to.equal(false);
    expect(isFeedStale(health, 121_000, 60_000, 0)).to.equal(true);
    expect(isFeedStale(initialFeedState().health, 100_000, 60_000, 50_000)).to.equal(false);
  });
});
