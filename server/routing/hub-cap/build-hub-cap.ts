/**
 * The hub's own CAP 1.2 alert for a transboundary source alert (issue 4, "Hub-issued CAP"):
 * sender the hub, `references` the source (and the previous hub alert for an Update or Cancel),
 * scope Restricted (or Private with the addressed organisations), the rules and the affected
 * countries as `<parameter>`s, the source's text preserved (one info per source language), and
 * the hub's own headline and instruction from the region's templates in the languages of the
 * addressed countries. The result passes `validateCapAlert` and round-trips through
 * `buildCap`/`parseCap`.
 */
import { capDateTimeToEpoch } from '../../../protocols/cap/datetime.ts';
import type { CapAlert, CapInfo, CapValuePair } from '../../../protocols/cap/model.ts';
import type { Region } from '../../region/region.ts';
import { formatCapDateTime } from '../rules/time.ts';
import type { RoutingDecision } from '../rules/types.ts';
import { capTripleText } from './identifier.ts';
import { decisionParameters, HubParameter, parameterValues } from './parameters.ts';
import { planHubAlert, type HubPlan } from './plan.ts';
import { rulesText } from './rule-text.ts';
import {
  countryList,
  hubLanguages,
  pickLocalized,
  primaryLanguage,
  renderHubTemplate,
} from './templates.ts';

/** What {@link buildHubCap} needs. */
export interface HubCapInput {
  readonly decision: RoutingDecision;
  /** The source alert. */
  readonly source: CapAlert;
  /** The source's id in the hub's store, carried as a parameter when given. */
  readonly sourceId?: string;
  readonly region: Region;
  /** Now (epoch ms): the hub alert's `sent`. */
  readonly now: number;
  /** The latest hub alert issued for this source's thread, if any. */
  readonly previousHub?: CapAlert;
}

/** The plan and, unless the plan is `none`, the hub alert. */
export interface HubCapResult {
  readonly plan: HubPlan;
  readonly alert: CapAlert | null;
}

const latest = (texts: readonly (string | undefined)[], floor: number): number =>
  texts.reduce(
    (max, t) => Math.max(max, (t === undefined ? undefined : capDateTimeToEpoch(t)) ?? -Infinity),
    floor,
  );

/** The source's infos, the first of each language, keyed by primary language. */
function infosByLanguage(source: CapAlert): Map<string, CapInfo> {
  const out = new Map<string, CapInfo>();
  for (const info of source.info) {
    const lang = primaryLanguage(info.language);
    if (!out.has(lang)) out.set(lang, info);
  }
  return out;
}

function hazardName(region: Region, hazard: string | undefined, lang: string): string | undefined {
  const config = hazard === undefined ? undefined : region.routing?.hazards[hazard];
  return config === undefined ? undefined : pickLocalized(config.name, lang);
}

/**
 * What the hub alert calls the hazard in `lang`: a hazard of the region file by its name; the
 * region's catch-all one (whose name is only "Hazard") by the source's own `<event>`, which
 * says what it is ("Tornado Warning", "فيضان مفاجئ") even in another language.
 */
function hazardLabel(
  region: Region,
  hazard: string | undefined,
  lang: string,
  sourceEvent: string | undefined,
): string | undefined {
  const generic = hazard === undefined || hazard === region.routing?.defaultHazard;
  if (generic && sourceEvent !== undefined && sourceEvent.trim() !== '') return sourceEvent.trim();
  return hazardName(region, hazard, lang);
}

/** The source's own text, kept verbatim under the hub's. */
function sourceText(info: CapInfo, sender: string): string {
  return [`${info.senderName ?? sender}:`, info.headline, info.description]
    .filter((t) => t !== undefined && t !== '')
    .join('\n');
}

/** Header fields shared by the Alert, Update and Cancel forms. */
function header(
  input: HubCapInput,
  plan: HubPlan,
  msgType: 'Alert' | 'Update' | 'Cancel',
  scope: string,
  addresses: string | undefined,
  restriction: string | undefined,
  note: string,
): Omit<CapAlert, 'info'> {
  const { source, region, previousHub } = input;
  // CAP 1.2 §3.2.1: a message is sent after those it references (validation reports a
  // postdated reference); a source clock ahead of ours must not make the hub alert invalid.
  const sentMs = latest([source.sent, previousHub?.sent], input.now);
  const out: Omit<CapAlert, 'info'> = {
    identifier: plan.identifier,
    sender: region.hubSender,
    sent: formatCapDateTime(Math.ceil(sentMs / 1000) * 1000, 0),
    status: source.status,
    msgType,
    source: `${region.name}: ${pickLocalized(region.organisations[0]?.name ?? { en: region.hubId }, 'en')}`,
    scope,
    code: [],
    note,
    references: plan.references.map(capTripleText).join(' '),
  };
  if (restriction !== undefined && scope === 'Restricted') out.restriction = restriction;
  if (addresses !== undefined && addresses !== '') out.addresses = addresses;
  if (source.incidents !== undefined) out.incidents = source.incidents;
  return out;
}

function expiresOf(
  base: CapInfo | undefined,
  decision: RoutingDecision,
  sent: string,
): string | undefined {
  const sentMs = capDateTimeToEpoch(sent) ?? 0;
  const candidates = [base?.expires, ...decision.arrivals.map((a) => a.to)];
  if (base !== undefined && base.expires === undefined) return undefined; // the source never expires
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const c of candidates) {
    const ms = c === undefined ? undefined : capDateTimeToEpoch(c);
    if (c !== undefined && ms !== undefined && ms > bestMs) {
      best = c;
      bestMs = ms;
    }
  }
  return best !== undefined && bestMs >= sentMs ? best : undefined;
}

/**
 * Who issued the source, for the hub's text in `lang`: the sender name of its info in `lang`
 * (`own`); else, for a language it does not write, the region file's name of the issuing
 * organisation in `lang` (a Kazakh sentence names the Kyrgyz ministry in Kazakh); else the
 * sender name it gives in another language (`fallback`), or its CAP sender.
 */
function issuerName(
  input: HubCapInput,
  lang: string,
  own: CapInfo | undefined,
  fallback: CapInfo | undefined,
): string {
  const { region, decision, source } = input;
  const names =
    own === undefined
      ? region.organisations.find((o) => o.country !== null && o.country === decision.originCountry)
          ?.name
      : undefined;
  return own?.senderName ?? names?.[lang] ?? fallback?.senderName ?? source.sender;
}

function alertOrUpdate(input: HubCapInput, plan: HubPlan): CapAlert {
  const { decision, source, region } = input;
  const countries = decision.countries;
  const bySource = infosByLanguage(source);
  const languages = [...hubLanguages(region, countries)];
  for (const lang of bySource.keys()) if (!languages.includes(lang)) languages.push(lang);
  const base = source.info[0];
  const hazard = decision.hazards[0];
  const msgType = plan.action === 'update' ? 'Update' : 'Alert';
  const restriction = renderHubTemplate(region, 'restriction', 'en', {
    countries: countryList(region, countries, 'en'),
  });
  const head = header(
    input,
    plan,
    msgType,
    decision.scope,
    decision.addresses.join(' '),
    restriction,
    `Transboundary rules fired: ${[...new Set(decision.rules.map((r) => r.rule))].join(', ')}. Relays ${capTripleText(decision.source)}.`,
  );
  const parameters = decisionParameters(decision, input.sourceId);
  const infos: CapInfo[] = [];
  for (const lang of languages) {
    const own = bySource.get(lang);
    const from = own ?? base;
    const values = {
      hazard: hazardLabel(region, hazard, lang, from?.event) ?? hazard ?? '',
      countries: countryList(region, countries, lang),
      sender: issuerName(input, lang, own, from),
      event: from?.event ?? '',
      rules: rulesText(region, decision, lang),
    };
    const headline = renderHubTemplate(region, 'headline', lang, values);
    // A language with neither hub templates nor source text has nothing to say.
    if (headline === undefined && own === undefined) continue;
    const hubDescription = renderHubTemplate(region, 'description', lang, values);
    const hubInstruction = renderHubTemplate(region, 'instruction', lang, values);
    const description = [
      hubDescription,
      own === undefined ? undefined : sourceText(own, source.sender),
    ]
      .filter((t) => t !== undefined && t !== '')
      .join('\n\n');
    const instruction = [hubInstruction, own?.instruction]
      .filter((t) => t !== undefined && t !== '')
      .join('\n\n');
    const info: CapInfo = {
      language: own?.language ?? lang,
      category:
        from === undefined || from.category.length === 0
          ? [region.routing?.hazards[hazard ?? '']?.category ?? 'Other']
          : [...from.category],
      event: own?.event ?? hazardLabel(region, hazard, lang, from?.event) ?? 'Hazard',
      responseType: [...(from?.responseType ?? [])],
      urgency: from?.urgency ?? 'Unknown',
      severity: from?.severity ?? 'Unknown',
      certainty: from?.certainty ?? 'Unknown',
      eventCode: [...(from?.eventCode ?? [])],
      senderName: pickLocalized(region.organisations[0]?.name ?? { en: region.hubId }, lang),
      parameter: [...parameters, ...(from?.parameter ?? [])],
      resource: [...(from?.resource ?? [])],
      area: (from?.area ?? []).map((a) => ({
        ...a,
        polygon: [...a.polygon],
        circle: [...a.circle],
        geocode: [...a.geocode],
      })),
    };
    if (from?.audience !== undefined) info.audience = from.audience;
    if (from?.effective !== undefined) info.effective = from.effective;
    if (from?.onset !== undefined) info.onset = from.onset;
    const expires = expiresOf(from, decision, head.sent);
    if (expires !== undefined) info.expires = expires;
    info.headline = headline ?? own?.headline ?? values.hazard;
    if (description !== '') info.description = description;
    if (instruction !== '') info.instruction = instruction;
    const web = own?.web ?? from?.web;
    if (web !== undefined) info.web = web;
    if (from?.contact !== undefined) info.contact = from.contact;
    infos.push(info);
  }
  return { ...head, info: infos };
}

function cancel(input: HubCapInput, plan: HubPlan): CapAlert {
  const { decision, source, region, previousHub } = input;
  const previousInfo = previousHub?.info[0];
  const listed = parameterValues(previousInfo, HubParameter.countries)[0];
  const countries =
    listed === undefined ? [...decision.countries] : listed.split(/\s+/).filter((c) => c !== '');
  const hazard = parameterValues(previousInfo, HubParameter.hazard)[0] ?? decision.hazards[0];
  const sourceInfo = source.info[0];
  const head = header(
    input,
    plan,
    'Cancel',
    previousHub?.scope ?? decision.scope,
    previousHub?.addresses ?? decision.addresses.join(' '),
    previousHub?.restriction ??
      renderHubTemplate(region, 'restriction', 'en', {
        countries: countryList(region, countries, 'en'),
      }),
    `Cancels the hub alert: ${plan.reason}.`,
  );
  const parameter: CapValuePair[] = [
    { valueName: HubParameter.source, value: capTripleText(decision.source) },
  ];
  if (input.sourceId !== undefined)
    parameter.push({ valueName: HubParameter.sourceId, value: input.sourceId });
  if (hazard !== undefined) parameter.push({ valueName: HubParameter.hazard, value: hazard });
  if (countries.length > 0)
    parameter.push({ valueName: HubParameter.countries, value: countries.join(' ') });
  const area =
    (sourceInfo?.area.length ?? 0) > 0 ? (sourceInfo?.area ?? []) : (previousInfo?.area ?? []);
  const infos: CapInfo[] = [];
  for (const lang of hubLanguages(region, countries)) {
    const values = {
      hazard: hazardLabel(region, hazard, lang, sourceInfo?.event ?? previousInfo?.event) ?? '',
      countries: countryList(region, countries, lang),
      sender: issuerName(
        input,
        lang,
        primaryLanguage(sourceInfo?.language) === lang ? sourceInfo : undefined,
        sourceInfo,
      ),
      event: sourceInfo?.event ?? hazardName(region, hazard, lang) ?? '',
    };
    const headline = renderHubTemplate(region, 'cancelHeadline', lang, values);
    if (headline === undefined) continue;
    const info: CapInfo = {
      language: lang,
      category: [...(previousInfo?.category ?? sourceInfo?.category ?? ['Other'])],
      event:
        hazardLabel(region, hazard, lang, sourceInfo?.event ?? previousInfo?.event) ?? 'Hazard',
      // CAP 1.2 §3.2.2: AllClear — "the subject event no longer poses a threat or concern".
      responseType: ['AllClear'],
      urgency: 'Past',
      severity: 'Minor',
      certainty: 'Observed',
      eventCode: [...(previousInfo?.eventCode ?? sourceInfo?.eventCode ?? [])],
      senderName: pickLocalized(region.organisations[0]?.name ?? { en: region.hubId }, lang),
      headline,
      parameter,
      resource: [],
      area: area.map((a) => ({
        ...a,
        polygon: [...a.polygon],
        circle: [...a.circle],
        geocode: [...a.geocode],
      })),
    };
    const description = renderHubTemplate(region, 'cancelDescription', lang, values);
    if (description !== undefined) info.description = description;
    infos.push(info);
  }
  return { ...head, info: infos };
}

/**
 * Plans (see `planHubAlert`) and builds the hub's CAP 1.2 alert for a source message and its
 * routing decision; `alert` is null when the plan is `none`.
 */
export function buildHubCap(input: HubCapInput): HubCapResult {
  const planInput = {
    source: input.source,
    decision: input.decision,
    region: input.region,
    now: input.now,
    ...(input.previousHub === undefined ? {} : { previousHub: input.previousHub }),
  };
  const plan = planHubAlert(planInput);
  if (plan.action === 'none') return { plan, alert: null };
  return {
    plan,
    alert: plan.action === 'cancel' ? cancel(input, plan) : alertOrUpdate(input, plan),
  };
}
