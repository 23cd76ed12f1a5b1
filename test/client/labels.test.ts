/** The console's one-line title of an alert (the alarm banner and screen-reader announcements). */
import { expect } from 'chai';
import { eventHeadline } from '../../client/src/labels.ts';

describe('eventHeadline', () => {
  it('puts the event before the headline', () => {
    expect(eventHeadline('Hailstorm', 'Large hail expected in Naryn')).to.equal(
      'Hailstorm: Large hail expected in Naryn',
    );
  });

  it('does not repeat an event the headline begins with, as the hub’s own headlines do', () => {
    expect(
      eventHeadline('Flood', 'Flood: transboundary alert for Kazakhstan, Uzbekistan, Tajikistan'),
    ).to.equal('Flood: transboundary alert for Kazakhstan, Uzbekistan, Tajikistan');
    expect(eventHeadline('Сель', 'сель в бассейне реки Талгар')).to.equal(
      'сель в бассейне реки Талгар',
    );
  });

  it('gives the event alone when there is no headline, and no dangling colon', () => {
    expect(eventHeadline('Mudflow', undefined)).to.equal('Mudflow');
    expect(eventHeadline('Mudflow', null)).to.equal('Mudflow');
    expect(eventHeadline('Mudflow', '  ')).to.equal('Mudflow');
    expect(eventHeadline('', 'Evacuate the flood plain')).to.equal('Evacuate the flood plain');
  });
});
