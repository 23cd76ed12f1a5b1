import { expect } from 'chai';
import { formatCapInstant, readIsoInstant } from '../../../protocols/quake/time.ts';

describe('quake instants', () => {
  it('reads the ISO forms catalogues write', () => {
    const at = Date.UTC(2011, 2, 11, 5, 46, 24, 120);
    expect(readIsoInstant('2011-03-11T05:46:24.1200')).to.equal(at); // IRIS: no zone, 4 digits
    expect(readIsoInstant('2011-03-11T05:46:24.12Z')).to.equal(at);
    expect(readIsoInstant('2011-03-11T10:46:24.120+05:00')).to.equal(at);
    expect(readIsoInstant('2026-05-09T10:09:52.946851Z')).to.equal(
      Date.UTC(2026, 4, 9, 10, 9, 52, 947),
    );
    expect(readIsoInstant('2012-04-04T14:21:42.3+00:00')).to.equal(
      Date.UTC(2012, 3, 4, 14, 21, 42, 300),
    );
  });

  it('refuses what is not a date-time', () => {
    for (const text of ['', 'yesterday', '2011-13-01T00:00:00Z', '2011-03-11', '1374450356960']) {
      expect(readIsoInstant(text), text).to.equal(undefined);
    }
  });

  it('writes CAP 1.2 date-times: whole seconds, UTC as -00:00', () => {
    expect(formatCapInstant(Date.UTC(2013, 6, 21, 23, 45, 56, 960))).to.equal(
      '2013-07-21T23:45:56-00:00',
    );
  });
});
