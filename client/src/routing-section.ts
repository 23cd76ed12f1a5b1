/**
 * "Why these countries": the hub's routing decision for an alert (`GET
 * /api/v1/alerts/:id/routing`): the countries notified, each rule that fired with the hub's
 * own sentence, expected arrival times downstream, the rules that did not fire, and whether
 * the hub issued an alert of its own. The hub's sentences are shown as it wrote them.
 */
import { h, type Child } from './dom.ts';
import { t, tValue } from './i18n/i18n.ts';
import { countryNames } from './labels.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** An arrival window of water downstream. */
export interface ArrivalDto {
  readonly country: string;
  readonly place: string;
  readonly from: string;
  readonly to: string;
  readonly estimate: boolean;
}

/** The part of the routing answer the console shows. */
export interface RoutingDto {
  readonly alertId: string;
  readonly countries: readonly string[];
  readonly decision: {
    readonly countries: readonly string[];
    readonly transboundary: boolean;
    readonly rules: readonly { readonly rule: string; readonly explanation: string }[];
    readonly notes: readonly { readonly rule: string; readonly note: string }[];
    readonly arrivals: readonly ArrivalDto[];
  } | null;
  readonly hub: { readonly action: string; readonly reason?: string } | null;
}

function item(label: string, ...rest: Child[]): HTMLElement {
  return h('li', {}, h('strong', {}, label), ' ', ...rest);
}

/** The section; `routing` undefined while it loads, null when it could not be loaded. */
export function routingSection(
  routing: RoutingDto | null | undefined,
  region: RegionAsset | null,
): HTMLElement {
  const body: Child[] = [];
  const decision = routing?.decision ?? null;
  if (routing === undefined) body.push(h('p', { class: 'muted' }, t('detail.loading')));
  else if (decision === null) body.push(h('p', { class: 'muted' }, t('routing.none')));
  else {
    body.push(
      h(
        'p',
        {},
        t('routing.notified'),
        ': ',
        decision.countries.length === 0
          ? t('routing.notifiedNone')
          : countryNames(region, decision.countries),
      ),
      h(
        'ul',
        { class: 'plain routing-rules' },
        ...decision.rules.map((r) =>
          item(tValue('routing.rule', r.rule), h('span', { class: 'cap-text' }, r.explanation)),
        ),
      ),
    );
    if (decision.arrivals.length > 0) {
      body.push(
        h('h4', {}, t('routing.arrivals')),
        h(
          'ul',
          { class: 'plain' },
          ...decision.arrivals.map((a) =>
            item(
              countryNames(region, [a.country]),
              h('span', { class: 'cap-text' }, a.place),
              `: ${formatDateTime(a.from)} – ${formatDateTime(a.to)}`,
              a.estimate ? ` (${t('routing.estimate')})` : '',
            ),
          ),
        ),
      );
    }
    if (decision.notes.length > 0) {
      body.push(
        h('h4', {}, t('routing.notes')),
        h(
          'ul',
          { class: 'plain muted' },
          ...decision.notes.map((n) =>
            item(tValue('routing.rule', n.rule), h('span', { class: 'cap-text' }, n.note)),
          ),
        ),
      );
    }
  }
  if (routing?.hub !== null && routing?.hub !== undefined && routing.hub.action !== 'none') {
    body.push(
      h(
        'p',
        { 'data-hub-action': routing.hub.action },
        t('routing.hub'),
        ': ',
        tValue('routing.hub', routing.hub.action),
        routing.hub.reason === undefined ? '' : ' — ',
        routing.hub.reason === undefined
          ? ''
          : h('span', { class: 'cap-text' }, routing.hub.reason),
      ),
    );
  }
  return h(
    'section',
    { class: 'detail-section', 'data-section': 'routing' },
    h('h3', {}, t('detail.routing')),
    ...body,
  );
}
