import { expect } from 'chai';
import { buildCap } from '../../../../protocols/cap/build.ts';
import type { CapAlert } from '../../../../protocols/cap/model.ts';
import { parseCap } from '../../../../protocols/cap/parse.ts';
import { validateCapAlert } from '../../../../protocols/cap/validate.ts';
import { loadRegion, type Region } from '../../../../server/region/region.ts';
import { decideRouting } from '../../../../server/routing/rules/decide.ts';
import type { AreaFacts } from '../../../../server/routing/rules/types.ts';
import { buildHubCap } from '../../../../server/routing/hub-cap/build-hub-cap.ts';
import { hubIdentifierFor } from '../../../../server/routing/hub-cap/identifier.ts';
import { validAlert } from '../../../helpers/cap.ts';

const region = loadRegion();
const now = Date.parse('2026-04-02T01:00:00Z');
const kgFacts: AreaFacts = {
  touched: ['KG'],
  distanceKm: { KG: 0, KZ: 5, UZ: 260, TJ: 330, CN: 300, TM: 1000 },
};

/** A KG mudflow alert on the Chu, 5 km from Kazakhstan, in English and Russian. */
function kgMudflow(): CapAlert {
  const alert = validAlert();
  const en = alert.info[0];
  if (en === undefined) throw new Error('no info');
  en.eventCode = [];
  en.area = [
    {
      areaDesc: 'Kemin district',
      polygon: ['42.70,75.50 42.70,75.60 42.76,75.60 42.76,75.50 42.70,75.50'],
      circle: [],
      geocode: [],
    },
  ];
  alert.info.push({
    ...en,
    language: 'ru-KG',
    event: 'Сель',
    headline: 'Угроза схода селей в Кеминском районе',
    description: 'Сильные дожди насытили склоны над рекой Кемин.',
    instruction: 'Покиньте берега рек и поднимитесь выше.',
  });
  return alert;
}

function hubFor(
  source: CapAlert,
  facts: AreaFacts,
  options: { previousHub?: CapAlert; region?: Region; origin?: string; at?: number } = {},
) {
  const r = options.region ?? region;
  const decision = decideRouting({
    alert: source,
    region: r,
    facts,
    now: options.at ?? now,
    originCountry: options.origin ?? 'KG',
  });
  return buildHubCap({
    decision,
    source,
    sourceId: 'a-1',
    region: r,
    now: options.at ?? now,
    ...(options.previousHub === undefined ? {} : { previousHub: options.previousHub }),
  });
}

function errorsOf(alert: CapAlert): string[] {
  return validateCapAlert(alert, { now })
    .filter((r) => r.level === 'error')
    .map((r) => `${r.code} ${r.path}: ${r.message}`);
}

describe('server/routing/hub-cap/build-hub-cap', () => {
  it('builds a hub Alert that validates and round-trips through buildCap and parseCap', () => {
    const { plan, alert } = hubFor(kgMudflow(), kgFacts);
    expect(plan.action).to.equal('alert');
    if (alert === null) throw new Error('no hub alert');
    expect(validateCapAlert(alert, { now })).to.deep.equal([]);
    expect(parseCap(buildCap(alert))).to.deep.equal(alert);
  });

  it('is sent by the hub, references the source and is restricted to the addressed countries', () => {
    const source = kgMudflow();
    const { alert } = hubFor(source, kgFacts);
    expect(alert).to.deep.include({
      sender: 'ewx-hub.central-asia',
      sent: '2026-04-02T01:00:00-00:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Restricted',
      addresses: 'kz-mes',
      references: `${source.sender},${source.identifier},${source.sent}`,
    });
    expect(alert?.restriction).to.equal(
      'For the emergency services of Kazakhstan and the regional hub; not for public release.',
    );
  });

  it('carries the rules and the affected countries as parameters', () => {
    const { alert } = hubFor(kgMudflow(), kgFacts);
    const params = alert?.info[0]?.parameter ?? [];
    const values = (name: string) => params.filter((p) => p.valueName === name).map((p) => p.value);
    expect(values('EWX-rule')).to.deep.equal(['area', 'river']);
    expect(values('EWX-countries')).to.deep.equal(['KZ']);
    expect(values('EWX-hazard')).to.deep.equal(['mudflow']);
    expect(values('EWX-source-id')).to.deep.equal(['a-1']);
    expect(values('EWX-arrival')[0]).to.match(
      /^KZ 2026-04-02T07:00:00\+06:00\/2026-04-02T20:00:00\+06:00$/,
    );
  });

  it('keeps the source text in its languages and adds the hub text in en, ru and kk', () => {
    const { alert } = hubFor(kgMudflow(), kgFacts);
    const infos = alert?.info ?? [];
    expect(infos.map((i) => i.language)).to.deep.equal(['en-US', 'ru-KG', 'kk']);
    const [en, ru, kk] = infos;
    expect(en?.headline).to.equal('Mudflow: transboundary alert for Kazakhstan');
    expect(en?.description).to.include(
      'Heavy rain has saturated the slopes above the Alamedin river.',
    );
    expect(en?.instruction).to.include('Leave the river banks and move to higher ground.');
    expect(ru?.event).to.equal('Сель');
    expect(ru?.headline).to.equal('Сель: трансграничное оповещение (Казахстан)');
    expect(ru?.description).to.include('Угроза схода селей в Кеминском районе');
    expect(ru?.description).to.include('Чу: вода из района оповещения может дойти — Казахстан');
    expect(kk?.headline).to.equal('Сел: трансшекаралық ескерту (Қазақстан)');
    expect(kk?.description).to.not.include('Heavy rain');
    // The Kyrgyz ministry, which writes no Kazakh, is named in Kazakh in the Kazakh text.
    expect(kk?.description).to.match(
      /^Өңірлік ерте ескерту орталығы Қырғыз Республикасы Төтенше жағдайлар министрлігі жіберген «/,
    );
    // The hub names itself in each language it writes, not in English in a Kazakh block.
    expect(infos.map((i) => i.senderName)).to.deep.equal([
      'Regional early-warning centre',
      'Региональный центр раннего оповещения',
      'Өңірлік ерте ескерту орталығы',
    ]);
  });

  it('names a hazard the region file does not list by the source’s own event, not "Hazard"', () => {
    const source = kgMudflow();
    source.info = [
      { ...(source.info[0] as CapAlert['info'][number]), language: 'ar', event: 'فيضان مفاجئ' },
    ];
    const { alert } = hubFor(source, kgFacts);
    if (alert === null) throw new Error('no hub alert');
    expect(alert.info.map((i) => [i.language, i.event, i.headline])).to.deep.equal([
      ['en', 'فيضان مفاجئ', 'فيضان مفاجئ: transboundary alert for Kazakhstan'],
      ['ru', 'فيضان مفاجئ', 'فيضان مفاجئ: трансграничное оповещение (Казахстан)'],
      ['kk', 'فيضان مفاجئ', 'فيضان مفاجئ: трансшекаралық ескерту (Қазақстан)'],
      // The source's own language keeps its own headline.
      ['ar', 'فيضان مفاجئ', 'Mudflow risk in the Alamedin valley'],
    ]);
    expect(errorsOf(alert)).to.deep.equal([]);
  });

  it('adds Chinese when China is addressed', () => {
    const source = kgMudflow();
    for (const info of source.info) {
      info.area = [
        {
          areaDesc: 'Sary-Jaz',
          polygon: ['42.05,79.3 42.05,79.5 42.2,79.5 42.2,79.3 42.05,79.3'],
          circle: [],
          geocode: [],
        },
      ];
    }
    const { alert } = hubFor(source, { touched: ['KG'], distanceKm: { KG: 0, CN: 25, KZ: 60 } });
    expect(alert?.addresses).to.equal('cn-mem');
    const zh = alert?.info.find((i) => i.language === 'zh');
    expect(zh?.headline).to.equal('泥石流：跨境预警（中国）');
    expect(zh?.description).to.include('阿克苏河上游');
    if (alert !== null) expect(errorsOf(alert)).to.deep.equal([]);
  });

  it('gives the same identifier for the same source, and a different one for another', () => {
    const first = hubFor(kgMudflow(), kgFacts).alert;
    const again = hubFor(kgMudflow(), kgFacts, { at: now + 3_600_000 }).alert;
    expect(again?.identifier).to.equal(first?.identifier);
    const other = kgMudflow();
    other.identifier = 'KG-2026-0002';
    expect(hubFor(other, kgFacts).alert?.identifier).to.not.equal(first?.identifier);
    const source = kgMudflow();
    expect(first?.identifier).to.equal(
      hubIdentifierFor(
        { sender: source.sender, identifier: source.identifier, sent: source.sent },
        region,
      ),
    );
  });

  it('issues nothing a second time when the hub alert for this source exists', () => {
    const first = hubFor(kgMudflow(), kgFacts).alert;
    if (first === null) throw new Error('no hub alert');
    const { plan, alert } = hubFor(kgMudflow(), kgFacts, { previousHub: first });
    expect(plan.action).to.equal('none');
    expect(alert).to.equal(null);
  });

  it('answers a source Update with a hub Update referencing the hub alert and the source', () => {
    const original = kgMudflow();
    const hub = hubFor(original, kgFacts).alert;
    if (hub === null) throw new Error('no hub alert');
    const update = kgMudflow();
    update.msgType = 'Update';
    update.identifier = 'KG-2026-0001-u1';
    update.sent = '2026-04-02T08:00:00+06:00';
    update.references = `${original.sender},${original.identifier},${original.sent}`;
    const { plan, alert } = hubFor(update, kgFacts, {
      previousHub: hub,
      at: Date.parse('2026-04-02T02:05:00Z'),
    });
    expect(plan.action).to.equal('update');
    expect(alert?.msgType).to.equal('Update');
    expect(alert?.references).to.equal(
      `${hub.sender},${hub.identifier},${hub.sent} ${update.sender},${update.identifier},${update.sent}`,
    );
    if (alert === null) throw new Error('no update');
    expect(errorsOf(alert)).to.deep.equal([]);
  });

  it('answers a source Cancel with a hub Cancel referencing the hub alert', () => {
    const original = kgMudflow();
    const hub = hubFor(original, kgFacts).alert;
    if (hub === null) throw new Error('no hub alert');
    const cancel = kgMudflow();
    cancel.msgType = 'Cancel';
    cancel.identifier = 'KG-2026-0001-c';
    cancel.sent = '2026-04-02T09:00:00+06:00';
    cancel.references = `${original.sender},${original.identifier},${original.sent}`;
    const { plan, alert } = hubFor(cancel, kgFacts, {
      previousHub: hub,
      at: Date.parse('2026-04-02T03:01:00Z'),
    });
    expect(plan.action).to.equal('cancel');
    if (alert === null) throw new Error('no cancel');
    expect(alert.msgType).to.equal('Cancel');
    expect(alert.references?.split(' ')[0]).to.equal(`${hub.sender},${hub.identifier},${hub.sent}`);
    expect(alert.addresses).to.equal(hub.addresses);
    expect(alert.info.map((i) => i.language)).to.deep.equal(['en', 'ru', 'kk']);
    expect(alert.info[0]?.responseType).to.deep.equal(['AllClear']);
    expect(alert.info[0]?.headline).to.equal(
      'Cancelled: Mudflow transboundary alert for Kazakhstan',
    );
    expect(validateCapAlert(alert, { now: Date.parse('2026-04-02T03:01:00Z') })).to.deep.equal([]);
    expect(parseCap(buildCap(alert))).to.deep.equal(alert);
  });

  it('cancels the hub alert when an Update no longer concerns another country', () => {
    const hub = hubFor(kgMudflow(), kgFacts).alert;
    if (hub === null) throw new Error('no hub alert');
    const update = kgMudflow();
    update.msgType = 'Update';
    update.identifier = 'KG-2026-0001-u2';
    update.references = `${hub.sender},x,2026-04-01T00:00:00+06:00`;
    for (const info of update.info) {
      info.area = [{ areaDesc: 'Naryn town', polygon: [], circle: ['41.43,76.0 2'], geocode: [] }];
    }
    const { plan } = hubFor(
      update,
      { touched: ['KG'], distanceKm: { KG: 0, KZ: 120, CN: 180 } },
      { previousHub: hub },
    );
    expect(plan.action).to.equal('cancel');
    expect(plan.reason).to.equal('the source update no longer concerns another partner country');
  });

  it('issues nothing for a source Cancel when no hub alert is live', () => {
    const cancel = kgMudflow();
    cancel.msgType = 'Cancel';
    cancel.references = 'a,b,2026-04-01T00:00:00+06:00';
    expect(hubFor(cancel, kgFacts).plan.action).to.equal('none');
  });

  it('addresses the organisations with scope Private when the hazard says so', () => {
    const routing = region.routing;
    const mudflow = routing?.hazards.mudflow;
    if (routing === null || mudflow === undefined) throw new Error('no routing');
    const privateRegion: Region = {
      ...region,
      routing: {
        ...routing,
        hazards: { ...routing.hazards, mudflow: { ...mudflow, scope: 'Private' } },
      },
    };
    const { alert } = hubFor(kgMudflow(), kgFacts, { region: privateRegion });
    expect(alert).to.deep.include({ scope: 'Private', addresses: 'kz-mes' });
    expect(alert?.restriction).to.equal(undefined);
    if (alert === null) throw new Error('no hub alert');
    expect(errorsOf(alert)).to.deep.equal([]);
  });

  it('stays valid when the source clock runs ahead of the hub', () => {
    const source = kgMudflow();
    source.sent = '2026-04-02T07:10:00+06:00'; // 01:10 UTC, ten minutes after "now"
    const { alert } = hubFor(source, kgFacts);
    expect(alert?.sent).to.equal('2026-04-02T01:10:00-00:00');
    if (alert === null) throw new Error('no hub alert');
    expect(validateCapAlert(alert, { now })).to.deep.equal([]);
  });

  it('carries the earthquake parameters and text of the earthquake rule', () => {
    const source = validAlert();
    source.sender = 'cap@fvv.uz';
    const info = source.info[0];
    if (info === undefined) throw new Error('no info');
    Object.assign(info, {
      category: ['Geo'],
      event: 'Earthquake',
      eventCode: [],
      parameter: [
        { valueName: 'magnitude', value: '6.5' },
        { valueName: 'depth', value: '12 km' },
      ],
      area: [{ areaDesc: 'Andijan', polygon: [], circle: ['40.78,72.34 0'], geocode: [] }],
    });
    const { alert } = hubFor(
      source,
      { touched: ['UZ'], distanceKm: { UZ: 0, KG: 15, TJ: 130, KZ: 170, CN: 180, TM: 480 } },
      { origin: 'UZ' },
    );
    if (alert === null) throw new Error('no hub alert');
    expect(alert.addresses).to.equal('kz-mes kg-mes tj-coes cn-mem');
    const params = alert.info[0]?.parameter.filter((p) => p.valueName.startsWith('EWX-')) ?? [];
    expect(params.map((p) => p.valueName)).to.include.members([
      'EWX-magnitude',
      'EWX-felt-radius-km',
    ]);
    expect(alert.info[0]?.description).to.match(
      /Magnitude 6\.5, depth 12 km: shaking of intensity 4 \(MSK-64\)/,
    );
    expect(alert.info.map((i) => i.language)).to.deep.equal(['en-US', 'ru', 'kk', 'zh']);
    expect(alert.info[3]?.senderName).to.equal('区域预警中心');
    expect(errorsOf(alert)).to.deep.equal([]);
    expect(parseCap(buildCap(alert))).to.deep.equal(alert);
  });
});
