/** Feed health: back-off after failures, the staleness rule, and what people read. */
import { expect } from 'chai';
import type { FeedHealth } from '../../../feeds/ports.ts';
import {
  backoffUntil,
  durationText,
  feedHealthView,
  feedIsStale,
  MAX_BACKOFF_MS,
} from '../../../server/feeds/feed-health.ts';
import type { FeedRecord } from '../../../server/feeds/feed-record.ts';
import { feedSchedules } from '../../../server/jobs/feed-jobs.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 3, 2, 6, 0);

function record(health?: Partial<FeedHealth>, stale = false): FeedRecord {
  return {
    id: 'kz-kazhydromet-en',
    orgId: 'kz-mes',
    type: 'cap-atom',
    url: 'https://meteoalert.meteoinfo.ru/kazakhstan/cap-feed/en/atom.xml',
    cron: '*/2 * * * *',
    source: 'region',
    createdAt: new Date(T0).toISOString(),
    options: {},
    state:
      health === undefined
        ? null
        : {
            seen: [],
            attempts: {},
            health: { consecutiveFailures: 0, itemsReceived: 0, entryErrors: 0, ...health },
          },
    alarm: { stale, since: stale ? new Date(T0).toISOString() : null },
  };
}

/** Which of the next `slots` slots (every `interval` after the failure) run. */
function slotsRun(failures: number, interval: number, slots: number): number[] {
  const health = {
    consecutiveFailures: failures,
    itemsReceived: 0,
    entryErrors: 0,
    lastErrorMs: T0 + 5000,
  };
  const until = backoffUntil(health, interval) ?? 0;
  return Array.from({ length: slots }, (_, k) => k + 1).filter((k) => T0 + k * interval >= until);
}

describe('feed health', () => {
  describe('backoffUntil', () => {
    it('does not back off a feed that is not failing', () => {
      expect(backoffUntil(undefined, 2 * MINUTE)).to.equal(undefined);
      expect(
        backoffUntil({ consecutiveFailures: 0, itemsReceived: 3, entryErrors: 0 }, MINUTE),
      ).to.equal(undefined);
    });

    it('skips 0, 1, 3, 7 slots after 1, 2, 3, 4 failures in a row', () => {
      expect(slotsRun(1, 2 * MINUTE, 8)[0]).to.equal(1);
      expect(slotsRun(2, 2 * MINUTE, 8)[0]).to.equal(2);
      expect(slotsRun(3, 2 * MINUTE, 8)[0]).to.equal(4);
      expect(slotsRun(4, 2 * MINUTE, 10)[0]).to.equal(8);
    });

    it('waits at most an hour, or one interval when that is longer', () => {
      const many = { consecutiveFailures: 40, itemsReceived: 0, entryErrors: 0, lastErrorMs: T0 };
      expect(backoffUntil(many, 2 * MINUTE)).to.equal(T0 + MAX_BACKOFF_MS - MINUTE);
      expect(backoffUntil(many, 3 * 3_600_000)).to.equal(T0 + 3 * 3_600_000 - 1.5 * 3_600_000);
    });
  });

  describe('feedIsStale', () => {
    it('counts the silence from the last success, or from when the feed was added', () => {
      expect(feedIsStale(record(), T0 + 4 * MINUTE, 2 * MINUTE)).to.equal(false);
      expect(feedIsStale(record(), T0 + 4 * MINUTE + 1, 2 * MINUTE)).to.equal(true);
      const read = record({ lastSuccessMs: T0 + 10 * MINUTE, lastPollMs: T0 + 10 * MINUTE });
      expect(feedIsStale(read, T0 + 13 * MINUTE, 2 * MINUTE)).to.equal(false);
      expect(feedIsStale(read, T0 + 15 * MINUTE, 2 * MINUTE)).to.equal(true);
    });
  });

  describe('feedHealthView', () => {
    it('explains the last error and says what to do', () => {
      const failing = record({
        lastPollMs: T0,
        lastErrorMs: T0,
        consecutiveFailures: 2,
        lastError: {
          code: 'FEED_DNS_FAILED',
          message: 'meteoalert.meteoinfo.ru could not be resolved',
          explanation: 'The host name of the feed could not be resolved.',
          fix: 'Check the spelling of the host and the DNS of the hub.',
        },
      });
      const view = feedHealthView(failing, T0 + MINUTE, 2 * MINUTE);
      expect(view).to.include({ status: 'failing', consecutiveFailures: 2, stale: false });
      expect(view.lastError).to.include({ code: 'FEED_DNS_FAILED' });
      expect(view.summary).to.equal(
        'The last 2 polls failed: The host name of the feed could not be resolved. Check the spelling of the host and the DNS of the hub. ' +
          `Backing off: the next poll is not before ${new Date(T0 + 3 * MINUTE).toISOString()}.`,
      );
    });

    it('shows a raised alarm, a pending feed and a disabled region feed', () => {
      expect(feedHealthView(record(undefined, true), T0 + 10 * MINUTE, 2 * MINUTE)).to.include({
        status: 'stale',
        summary: 'Not polled yet. Silent for 10 minutes; a poll is expected every 2 minutes.',
      });
      expect(feedHealthView(record(), T0, 2 * MINUTE).status).to.equal('pending');
      expect(feedHealthView(record(), T0, 2 * MINUTE, false)).to.include({
        status: 'disabled',
        summary: 'A feed of the region file, not polled while HUB_REGION_FEEDS is off.',
      });
    });

    it('writes durations as people say them', () => {
      expect(durationText(45_000)).to.equal('45 seconds');
      expect(durationText(90_000)).to.equal('90 seconds');
      expect(durationText(2 * MINUTE)).to.equal('2 minutes');
      expect(durationText(5 * MINUTE)).to.equal('5 minutes');
      expect(durationText(3 * 3_600_000)).to.equal('3 hours');
      expect(durationText(3 * 86_400_000)).to.equal('3 days');
    });
  });

  describe('feedSchedules', () => {
    it('knows the longest gap of a cron expression and explains a bad one', () => {
      expect(feedSchedules.intervalMs('*/2 * * * *')).to.equal(2 * MINUTE);
      expect(feedSchedules.intervalMs('*/30 * * * * *')).to.equal(30_000);
      expect(feedSchedules.intervalMs('0 8,20 * * *')).to.equal(12 * 3_600_000);
      expect(feedSchedules.problem('*/5 * * * *')).to.equal(undefined);
      expect(feedSchedules.problem('61 * * * *')).to.contain('minute');
    });
  });
});
