import { expect } from 'chai';
import {
  arrivalInterval,
  capOffsetMinutes,
  formatCapDateTime,
  humanDateTime,
} from '../../../../server/routing/rules/time.ts';

describe('server/routing/rules/time', () => {
  it('writes UTC as -00:00, as CAP 1.2 §3.3.2 requires', () => {
    expect(formatCapDateTime(Date.parse('2026-04-02T01:00:00.750Z'))).to.equal(
      '2026-04-02T01:00:00-00:00',
    );
  });

  it('writes an instant in the offset it was given', () => {
    expect(formatCapDateTime(Date.parse('2026-04-02T20:30:00Z'), 330)).to.equal(
      '2026-04-03T02:00:00+05:30',
    );
    expect(formatCapDateTime(Date.parse('2026-04-02T02:00:00Z'), -240)).to.equal(
      '2026-04-01T22:00:00-04:00',
    );
  });

  it('reads the offset of a CAP date-time', () => {
    expect(capOffsetMinutes('2026-04-02T07:00:00+06:00')).to.equal(360);
    expect(capOffsetMinutes('2026-04-02T07:00:00-00:00')).to.equal(0);
    expect(capOffsetMinutes('2026-04-02T07:00:00Z')).to.equal(0);
  });

  it('widens a window outward to whole minutes', () => {
    const start = {
      epochMs: Date.parse('2026-04-02T01:00:30Z'),
      offsetMinutes: 360,
      from: 'onset',
    } as const;
    expect(arrivalInterval(start, 0.3, 7)).to.deep.equal({
      from: '2026-04-02T07:18:00+06:00',
      to: '2026-04-02T14:01:00+06:00',
    });
  });

  it('shows a date-time to people with its offset', () => {
    expect(humanDateTime('2026-04-02T07:00:00+06:00')).to.equal('2026-04-02 07:00 (UTC+06:00)');
    expect(humanDateTime('2026-04-02T07:00:00-00:00')).to.equal('2026-04-02 07:00 (UTC+00:00)');
    expect(humanDateTime('soon')).to.equal('soon');
  });
});
