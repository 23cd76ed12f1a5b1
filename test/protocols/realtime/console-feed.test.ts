import { expect } from 'chai';
import { ConsoleFeed, type FeedItem } from '../../../protocols/realtime/console-feed.ts';
import type { AlertEvent } from '../../../protocols/realtime/events.ts';

function alertEvent(seq: number, replay = false): AlertEvent {
  return {
    seq,
    at: '2026-04-02T01:00:00.000Z',
    kind: 'stored',
    ...(replay ? { replay: true as const } : {}),
    alert: {
      id: `al_${seq}`,
      sender: 's',
      identifier: `i${seq}`,
      sent: '2026-04-02T06:30:00+06:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      state: 'active',
      threadId: `al_${seq}`,
      orgId: 'kg-mes',
      receivedAt: '2026-04-02T01:00:00.000Z',
      expiresAt: null,
      event: 'Mudflow',
      severity: 'Severe',
      urgency: 'Immediate',
      certainty: 'Likely',
      headline: null,
      countries: ['KG'],
      bbox: null,
    },
  };
}

function feedFrom(lastSeq = 0): { feed: ConsoleFeed; shown: number[] } {
  const shown: number[] = [];
  const feed = new ConsoleFeed({
    lastSeq,
    display: (item: FeedItem) => shown.push(item.event.seq),
  });
  return { feed, shown };
}

describe('ConsoleFeed', () => {
  it('holds live events during the replay and shows them after it, in order, once', () => {
    const { feed, shown } = feedFrom(10);
    feed.connecting();
    feed.receive('alert', alertEvent(14));
    feed.receive('alert', alertEvent(11, true));
    feed.receive('alert', alertEvent(12, true));
    feed.receive('alert', alertEvent(13));
    expect(shown).to.deep.equal([11, 12]);
    feed.replayDone({ count: 2, upTo: 12 });
    expect(shown).to.deep.equal([11, 12, 13, 14]);
    expect(feed.phase).to.equal('live');
    expect(feed.watermark).to.equal(12);
    expect(feed.replayed).to.equal(2);
  });

  it('drops what it has shown, and what is at or below the watermark', () => {
    const { feed, shown } = feedFrom(5);
    feed.replayDone({ count: 0, upTo: 5 });
    feed.receive('alert', alertEvent(4));
    feed.receive('alert', alertEvent(6));
    feed.receive('alert', alertEvent(6, true));
    expect(shown).to.deep.equal([6]);
  });

  it('asks for a sync only when a heartbeat is newer than the watermark, naming what it has', () => {
    const { feed } = feedFrom(0);
    expect(feed.heartbeat({ seq: 3, at: '' })).to.equal(null); // still replaying
    feed.replayDone({ count: 0, upTo: 3 });
    expect(feed.heartbeat({ seq: 3, at: '' })).to.equal(null);
    feed.receive('alert', alertEvent(5));
    expect(feed.heartbeat({ seq: 7, at: '' })).to.deep.equal({ after: 3, have: [5] });
    feed.synced(7);
    expect(feed.watermark).to.equal(7);
    expect(feed.heartbeat({ seq: 7, at: '' })).to.equal(null);
  });

  it('keeps what it showed across a reconnect, so a second replay shows nothing twice', () => {
    const { feed, shown } = feedFrom(0);
    feed.replayDone({ count: 0, upTo: 0 });
    feed.receive('alert', alertEvent(1));
    feed.receive('alert', alertEvent(2));
    feed.connecting();
    feed.receive('alert', alertEvent(1, true));
    feed.receive('alert', alertEvent(2, true));
    feed.receive('alert', alertEvent(3, true));
    feed.replayDone({ count: 3, upTo: 3 });
    expect(shown).to.deep.equal([1, 2, 3]);
    expect(feed.replayed).to.equal(1);
  });
});
