/** Incident date-times: RFC 3339 with an offset, read in the reporter's own time zone. */
import { expect } from 'chai';
import { readIncidentDateTime } from '../../../protocols/incident/index.ts';

describe('protocols/incident datetime', () => {
  it('keeps the local date of the offset the reporter wrote', () => {
    const reading = readIncidentDateTime('2026-04-02T02:00:00+05:00');
    if (!reading.ok) expect.fail(reading.message);
    expect(reading.localDate).to.deep.equal({ year: 2026, month: 4, day: 2 });
    // The same instant is 1 April in UTC.
    expect(new Date(reading.epochMs).toISOString()).to.equal('2026-04-01T21:00:00.000Z');
  });

  it('accepts Z and fractional seconds', () => {
    expect(readIncidentDateTime('2026-04-02T01:30:00.5Z').ok).to.be.true;
  });

  it('refuses a time without offset, a date alone and a day that does not exist', () => {
    for (const text of ['2026-04-02T06:30:00', '2026-04-02', '2026-02-29T00:00:00+05:00', '']) {
      expect(readIncidentDateTime(text).ok, text).to.be.false;
    }
  });
});
