/**
 * The warnings the demo's national services publish: realistic Central Asian hazards (a
 * mudflow above Almaty, rain and rising rivers in the Fergana valley, an Aralkum dust storm,
 * wind at the Dzungarian Gate), English with a Russian edition in the same message, dated
 * when they are published. Some touch a neighbour, so the hub issues its own transboundary
 * alert; one is updated and one cancelled later, so threads and states change on the console.
 */
import type { CapAlert, CapInfo, CapReference } from '../protocols/cap/model.ts';

/** Which simulated national feed publishes a step. */
export type DemoPublisher = 'kz-mes' | 'kg-mes' | 'uz-mes';

/** One warning of the scenario. */
export interface ScenarioStep {
  /** Seconds after the demo starts. */
  readonly at: number;
  readonly publisher: DemoPublisher;
  /** A key later steps use to reference it. */
  readonly key: string;
  /** The alert, dated `nowMs`; `earlier` holds the alerts published before, by key. */
  build(nowMs: number, earlier: ReadonlyMap<string, CapReference>): CapAlert;
}

const HOUR = 3_600_000;

/** CAP 1.2 dateTime in a fixed UTC offset (Kazakhstan and Uzbekistan +05:00, Kyrgyzstan +06:00). */
export function capTime(epochMs: number, offsetHours: number): string {
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetHours * HOUR);
  const sign = offsetHours < 0 ? '-' : '+';
  const hours = String(Math.abs(offsetHours)).padStart(2, '0');
  return `${local.toISOString().slice(0, 19)}${sign}${hours}:00`;
}

interface Text {
  readonly event: string;
  readonly headline: string;
  readonly description: string;
  readonly instruction: string;
  readonly areaDesc: string;
}

interface Warning {
  readonly sender: string;
  readonly senderName: { readonly en: string; readonly ru: string };
  readonly oid: string;
  readonly offset: number;
  readonly category: CapInfo['category'];
  readonly severity: CapInfo['severity'];
  readonly urgency: CapInfo['urgency'];
  readonly certainty: CapInfo['certainty'];
  /** CAP polygon: "lat,lon lat,lon …", first point repeated last. */
  readonly polygon: string;
  readonly hours: number;
  readonly en: Text;
  readonly ru: Text;
}

const services = {
  'kz-mes': {
    sender: 'cap@kazhydromet.kz',
    senderName: { en: 'Kazhydromet', ru: 'РГП «Казгидромет»' },
    oid: '2.49.0.0.398.0',
    offset: 5,
  },
  'kg-mes': {
    sender: 'cap@mes.gov.kg',
    senderName: {
      en: 'Ministry of Emergency Situations of the Kyrgyz Republic',
      ru: 'Министерство чрезвычайных ситуаций Кыргызской Республики',
    },
    oid: '2.49.0.0.417.0',
    offset: 6,
  },
  'uz-mes': {
    sender: 'cap@hydromet.uz',
    senderName: { en: 'Uzhydromet', ru: 'Узгидромет' },
    oid: '2.49.0.0.860.0',
    offset: 5,
  },
} as const;

let serial = 0;

function alertOf(
  warning: Warning,
  nowMs: number,
  msgType: CapAlert['msgType'] = 'Alert',
  references: readonly CapReference[] = [],
): CapAlert {
  serial++;
  const sent = capTime(nowMs, warning.offset);
  const stamp = sent.slice(0, 19).replace(/\D/g, '');
  const info = (language: 'en' | 'ru', text: Text): CapInfo => ({
    language: language === 'en' ? 'en-US' : 'ru-RU',
    category: warning.category,
    event: text.event,
    responseType: msgType === 'Cancel' ? ['AllClear'] : ['Prepare'],
    urgency: warning.urgency,
    severity: warning.severity,
    certainty: warning.certainty,
    eventCode: [],
    effective: sent,
    onset: sent,
    expires: capTime(nowMs + warning.hours * HOUR, warning.offset),
    senderName: warning.senderName[language],
    headline: text.headline,
    description: text.description,
    instruction: text.instruction,
    parameter: [],
    resource: [],
    area: [{ areaDesc: text.areaDesc, polygon: [warning.polygon], circle: [], geocode: [] }],
  });
  return {
    identifier: `${warning.oid}.${stamp}.${serial}`,
    sender: warning.sender,
    sent,
    status: 'Actual',
    msgType,
    source: 'EWX demo: a simulated national service',
    scope: 'Public',
    code: [],
    note: 'Simulated by `npm run demo`; not a real warning.',
    ...(references.length === 0
      ? {}
      : { references: references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ') }),
    info: [info('en', warning.en), info('ru', warning.ru)],
  };
}

const mudflow: Warning = {
  ...services['kz-mes'],
  category: ['Geo', 'Met'],
  severity: 'Severe',
  urgency: 'Expected',
  certainty: 'Likely',
  polygon: '43.02,76.75 43.02,77.35 43.22,77.35 43.22,76.75 43.02,76.75',
  hours: 12,
  en: {
    event: 'Mudflow',
    headline: 'Mudflow danger in the mountains above Almaty',
    description:
      'Heavy rain and snowmelt on the northern slopes of the Ile Alatau: mudflows are likely in the Kishi and Ulken Almaty valleys.',
    instruction:
      'Stay out of the river valleys above the Medeu dam; follow the orders of rescuers.',
    areaDesc: 'Ile Alatau, Almaty region',
  },
  ru: {
    event: 'Сель',
    headline: 'Селевая опасность в горах над Алматы',
    description:
      'Сильные дожди и таяние снега на северных склонах Иле Алатау: вероятны сели в долинах Киши и Улкен Алматы.',
    instruction: 'Не находитесь в долинах рек выше плотины Медеу; выполняйте указания спасателей.',
    areaDesc: 'Иле Алатау, Алматинская область',
  },
};

const flood: Warning = {
  ...services['kg-mes'],
  category: ['Met', 'Geo'],
  severity: 'Severe',
  urgency: 'Expected',
  certainty: 'Likely',
  // The Kara-Darya below the Andijan (Kempir-Abad) reservoir, on the border with Uzbekistan.
  polygon: '40.55,72.70 40.55,73.40 40.95,73.40 40.95,72.70 40.55,72.70',
  hours: 18,
  en: {
    event: 'Flood',
    headline: 'Heavy rain and rising rivers in the Kara-Darya basin',
    description:
      'Up to 60 mm of rain in 24 hours over the Osh and Jalal-Abad regions; the Kara-Darya and its tributaries are rising towards the Andijan reservoir.',
    instruction: 'Keep away from river banks and low-lying fields; prepare to leave if told to.',
    areaDesc: 'Kara-Darya basin, Osh and Jalal-Abad regions',
  },
  ru: {
    event: 'Паводок',
    headline: 'Сильные дожди и подъём рек в бассейне Карадарьи',
    description:
      'До 60 мм осадков за сутки в Ошской и Джалал-Абадской областях; уровень Карадарьи и её притоков растёт в сторону Андижанского водохранилища.',
    instruction: 'Держитесь подальше от берегов рек и низин; будьте готовы к эвакуации.',
    areaDesc: 'Бассейн Карадарьи, Ошская и Джалал-Абадская области',
  },
};

const dust: Warning = {
  ...services['uz-mes'],
  category: ['Met', 'Health'],
  severity: 'Moderate',
  urgency: 'Expected',
  certainty: 'Likely',
  // The dried bed of the Aral Sea (Aralkum), up to the border with Kazakhstan.
  polygon: '43.60,58.60 43.60,61.00 45.30,61.00 45.30,58.60 43.60,58.60',
  hours: 24,
  en: {
    event: 'Dust storm',
    headline: 'Salt and dust storm over the Aralkum',
    description:
      'North-westerly wind of 15-20 m/s lifts salt and dust from the dried bed of the Aral Sea; visibility below 500 m, PM10 far above the limit.',
    instruction: 'Stay indoors, close windows, protect your mouth and nose outside.',
    areaDesc: 'Republic of Karakalpakstan, Aralkum',
  },
  ru: {
    event: 'Пыльная буря',
    headline: 'Солевая и пыльная буря над Аралкумом',
    description:
      'Северо-западный ветер 15-20 м/с поднимает соль и пыль со дна высохшего Аральского моря; видимость менее 500 м, PM10 значительно выше нормы.',
    instruction: 'Оставайтесь в помещении, закройте окна, защищайте рот и нос на улице.',
    areaDesc: 'Республика Каракалпакстан, Аралкум',
  },
};

const wind: Warning = {
  ...services['kz-mes'],
  category: ['Met'],
  severity: 'Severe',
  urgency: 'Immediate',
  certainty: 'Observed',
  // The Dzungarian Gate, on the border with China.
  polygon: '44.90,81.60 44.90,82.70 45.40,82.70 45.40,81.60 44.90,81.60',
  hours: 8,
  en: {
    event: 'Strong wind',
    headline: 'Storm wind (Ebe) at the Dzungarian Gate',
    description:
      'South-easterly wind gusting to 35 m/s between Lake Alakol and the Chinese border.',
    instruction: 'Do not travel on the Dostyk road; secure roofs and livestock.',
    areaDesc: 'Dzungarian Gate, Zhetysu region',
  },
  ru: {
    event: 'Сильный ветер',
    headline: 'Штормовой ветер (Эбе) в Джунгарских воротах',
    description:
      'Юго-восточный ветер с порывами до 35 м/с между озером Алаколь и границей с Китаем.',
    instruction: 'Не выезжайте на трассу Достык; закрепите кровлю и укройте скот.',
    areaDesc: 'Джунгарские ворота, область Жетысу',
  },
};

/** The demo's warnings, in the order they are published. */
export function demoScenario(): ScenarioStep[] {
  const reference = (earlier: ReadonlyMap<string, CapReference>, key: string): CapReference[] => {
    const found = earlier.get(key);
    return found === undefined ? [] : [found];
  };
  return [
    { at: 0, publisher: 'kz-mes', key: 'mudflow', build: (now) => alertOf(mudflow, now) },
    { at: 0, publisher: 'kg-mes', key: 'flood', build: (now) => alertOf(flood, now) },
    { at: 20, publisher: 'uz-mes', key: 'dust', build: (now) => alertOf(dust, now) },
    {
      at: 40,
      publisher: 'kg-mes',
      key: 'flood-2',
      build: (now, earlier) =>
        alertOf(
          {
            ...flood,
            severity: 'Extreme',
            urgency: 'Immediate',
            certainty: 'Observed',
            en: {
              ...flood.en,
              headline: 'Kara-Darya above the danger level: evacuate the flood plain',
              instruction: 'Leave the flood plain now; move to higher ground.',
            },
            ru: {
              ...flood.ru,
              headline: 'Карадарья выше опасной отметки: эвакуируйтесь из поймы',
              instruction: 'Немедленно покиньте пойму; поднимитесь на возвышенность.',
            },
          },
          now,
          'Update',
          reference(earlier, 'flood'),
        ),
    },
    { at: 60, publisher: 'kz-mes', key: 'wind', build: (now) => alertOf(wind, now) },
    {
      at: 120,
      publisher: 'kz-mes',
      key: 'mudflow-cancel',
      build: (now, earlier) =>
        alertOf(
          {
            ...mudflow,
            severity: 'Minor',
            en: { ...mudflow.en, headline: 'Mudflow danger above Almaty is over' },
            ru: { ...mudflow.ru, headline: 'Селевая опасность над Алматы миновала' },
          },
          now,
          'Cancel',
          reference(earlier, 'mudflow'),
        ),
    },
  ];
}
