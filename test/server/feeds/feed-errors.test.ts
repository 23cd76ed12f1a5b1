/** The FEED_* codes: one catalogue, the same words in feed health and in API answers. */
import { expect } from 'chai';
import { FeedError, feedErrorCatalogue } from '../../../feeds/errors.ts';
import { errorCatalogue, isHubError } from '../../../protocols/errors.ts';
import { hubErrorOfFeedError } from '../../../server/feeds/new-feed.ts';
import { errorStatus } from '../../../server/http/error-handler.ts';

describe('feed error codes', () => {
  it('are in the hub catalogue with the meaning, action and status feed health uses', () => {
    for (const [code, entry] of Object.entries(feedErrorCatalogue)) {
      const hub = errorCatalogue[code as keyof typeof errorCatalogue];
      expect(hub, code).to.deep.equal({ meaning: entry.meaning, action: entry.action });
      expect(errorStatus[code as keyof typeof errorStatus], code).to.equal(entry.status);
    }
  });

  it('turn a FeedError into the HubError of the same code, details kept', () => {
    const error = new FeedError('FEED_TIMEOUT', 'x did not answer', { details: { url: 'x' } });
    const hub = hubErrorOfFeedError(error);
    expect(isHubError(hub, 'FEED_TIMEOUT')).to.equal(true);
    expect(hub.details).to.deep.equal({ url: 'x' });
    expect(hub.cause).to.equal(error);
  });
});
