import { expect } from 'chai';
import type { CapAlert } from '../../../../protocols/cap/model.ts';
import { loadRegion, type Region } from '../../../../server/region/region.ts';
import { decideRouting } from '../../../../server/routing/rules/decide.ts';
import { validAlert } from '../../../helpers/cap.ts';

const region = loadRegion();
const now = Date.parse('2026-04-02T01:00:00Z');

/** The valid test alert with one info's event and area replaced. */
function alertAt(event: string, polygon: string, sender = 'cap@mes.gov.kg'): CapAlert {
  const alert = validAlert();
  alert.sender = sender;
  const info = alert.info[0];
  if (info === undefined) throw new Error('no info');
  info.event = event;
  info.eventCode = [];
  info.parameter = [];
  info.area = [{ areaDesc: 'test area', polygon: [polygon], circle: [], geocode: [] }];
  return alert;
}

describe('server/routing/rules/decide', () => {
  it('notifies KZ of a KG-side mudflow 5 km from the border, not KG itself', () => {
    // Kemin district, south of the Chu where it is the KG-KZ border.
    const alert = alertAt('Mudflow', '42.70,75.50 42.70,75.60 42.76,75.60 42.76,75.50 42.70,75.50');
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['KG'], distanceKm: { KG: 0, KZ: 5, UZ: 260, TJ: 330, CN: 300, TM: 1000 } },
      now,
      originCountry: 'KG',
    });
    expect(decision.hazards).to.deep.equal(['mudflow']);
    expect(decision.countries).to.deep.equal(['KZ']);
    expect(decision.addresses).to.deep.equal(['kz-mes']);
    expect(decision.transboundary).to.equal(true);
    expect(decision.rules.map((r) => r.rule)).to.include('area');
    expect(decision.rules[0]?.explanation).to.include('KZ (5.0 km)');
    expect(decision.distances).to.include({ KZ: 5 });
  });

  it('notifies KZ of a flood on the upper Ili with an arrival window counted from onset', () => {
    const alert = alertAt(
      'Flood',
      '43.85,81.20 43.85,81.50 44.00,81.50 44.00,81.20 43.85,81.20',
      'cma.gov.cn',
    );
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['CN'], distanceKm: { CN: 0, KZ: 55, KG: 170 } },
      now,
      originCountry: 'CN',
    });
    expect(decision.countries).to.deep.equal(['KZ']);
    expect(decision.rules.map((r) => r.rule)).to.deep.equal(['river']);
    expect(decision.arrivals).to.have.length(1);
    // validAlert's onset is 2026-04-02T07:00:00+06:00; the Ili window is 0-27 h.
    expect(decision.arrivals[0]).to.deep.include({
      country: 'KZ',
      interval: '2026-04-02T07:00:00+06:00/2026-04-03T10:00:00+06:00',
    });
  });

  it('notifies KG and TJ of an M6.5 quake near Andijan reported by Uzbekistan', () => {
    const alert = validAlert();
    alert.sender = 'cap@fvv.uz';
    const info = alert.info[0];
    if (info === undefined) throw new Error('no info');
    Object.assign(info, {
      category: ['Geo'],
      event: 'Землетрясение',
      eventCode: [],
      parameter: [
        { valueName: 'EventMagnitude', value: '6.5 Mw' },
        { valueName: 'EventDepth', value: '12 km' },
      ],
      area: [{ areaDesc: 'Andijan', polygon: [], circle: ['40.78,72.34 0'], geocode: [] }],
    });
    const facts = {
      touched: ['UZ'],
      distanceKm: { UZ: 0, KG: 15, TJ: 130, KZ: 170, CN: 180, TM: 480 },
    };
    const decision = decideRouting({ alert, region, facts, now, originCountry: 'UZ' });
    expect(decision.hazards).to.deep.equal(['earthquake']);
    expect(decision.countries).to.include.members(['KG', 'TJ']);
    expect(decision.countries).to.not.include.members(['UZ', 'TM']);
    const quake = decision.rules.find((r) => r.rule === 'earthquake');
    expect(quake).to.deep.include({ magnitude: 6.5, depthKm: 12, magnitudeFrom: 'parameter' });
    // Without the issuer's country, the epicentre country is notified too.
    const unknownOrigin = decideRouting({ alert, region, facts, now });
    expect(unknownOrigin.countries).to.include.members(['KG', 'UZ', 'TJ']);
  });

  it('explains why the earthquake rule could not run without a magnitude', () => {
    const alert = alertAt('Earthquake', '40.7,72.3 40.7,72.4 40.8,72.4 40.8,72.3 40.7,72.3');
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['UZ'], distanceKm: { UZ: 0, KG: 15 } },
      now,
    });
    expect(decision.notes).to.deep.equal([
      {
        rule: 'earthquake',
        note: 'no magnitude in the event or the alert: the area rule alone applies',
      },
    ]);
    // The earthquake's 50 km fallback buffer still reaches Kyrgyzstan.
    expect(decision.countries).to.include('KG');
  });

  it('does not notify a country 40 km away of a quake too small to be felt there', () => {
    const alert = alertAt('Earthquake', '40.7,72.3 40.7,72.4 40.8,72.4 40.8,72.3 40.7,72.3');
    const info = alert.info[0];
    if (info === undefined) throw new Error('no info');
    info.parameter = [{ valueName: 'magnitude', value: '3.0' }];
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['UZ'], distanceKm: { UZ: 0, KG: 40 } },
      now,
      originCountry: 'UZ',
    });
    expect(decision.countries).to.deep.equal([]);
    expect(decision.notes[0]?.note).to.equal(
      'magnitude 3: shaking at the felt threshold reaches no partner country',
    );
  });

  it('routes nothing for an Ack', () => {
    const alert = alertAt('Mudflow', '42.70,75.50 42.70,75.60 42.76,75.60 42.76,75.50 42.70,75.50');
    alert.msgType = 'Ack';
    alert.references = 'a,b,2026-04-01T00:00:00+06:00';
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['KG'], distanceKm: { KZ: 1 } },
      now,
    });
    expect(decision.transboundary).to.equal(false);
    expect(decision.rules).to.deep.equal([]);
    expect(decision.notes[0]?.note).to.equal('msgType Ack, status Actual: not routed');
  });

  it('asks for scope Private when the hazard says so', () => {
    const routing = region.routing;
    if (routing === null) throw new Error('no routing');
    const mudflow = routing.hazards.mudflow;
    if (mudflow === undefined) throw new Error('no mudflow');
    const privateRegion: Region = {
      ...region,
      routing: {
        ...routing,
        hazards: { ...routing.hazards, mudflow: { ...mudflow, scope: 'Private' } },
      },
    };
    const alert = alertAt('Mudflow', '42.70,75.50 42.70,75.60 42.76,75.60 42.76,75.50 42.70,75.50');
    const decision = decideRouting({
      alert,
      region: privateRegion,
      facts: { touched: ['KG'], distanceKm: { KZ: 5 } },
      now,
      originCountry: 'KG',
    });
    expect(decision.scope).to.equal('Private');
  });

  it('merges the windows of several reaches into one per country', () => {
    // Straddles the Vakhsh and Panj reaches at their confluence.
    const alert = alertAt(
      'Flood',
      '37.00,68.20 37.00,68.60 37.30,68.60 37.30,68.20 37.00,68.20',
      'kchs.tj',
    );
    const decision = decideRouting({
      alert,
      region,
      facts: { touched: ['TJ', 'AF'], distanceKm: { TJ: 0, AF: 0, UZ: 60, TM: 180 } },
      now,
      originCountry: 'TJ',
    });
    expect(decision.rules.flatMap((r) => (r.rule === 'river' ? [r.reach] : []))).to.deep.equal([
      'vakhsh',
      'panj',
    ]);
    const uz = decision.arrivals.filter((a) => a.country === 'UZ');
    expect(uz).to.have.length(1);
    expect(uz[0]).to.deep.include({ minHours: 11, maxHours: 107 });
    expect(decision.context).to.deep.equal([]);
  });
});
