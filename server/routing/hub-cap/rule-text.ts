/**
 * The rules that fired, told in one language for the hub alert's description: the region's
 * `area`, `river`, `lake` and `earthquake` templates filled from the routing decision. The
 * issuer's own country is left out: it knows its alert.
 */
import type { Region } from '../../region/region.ts';
import { humanDateTime } from '../rules/time.ts';
import type { RoutingDecision } from '../rules/types.ts';
import { countryList, countryName, pickLocalized, renderHubTemplate } from './templates.ts';

/** The rules that fired, as sentences in `lang` (empty when the region has no routing). */
export function rulesText(region: Region, decision: RoutingDecision, lang: string): string {
  const routing = region.routing;
  if (routing === null) return '';
  const names = (cs: readonly string[]) => countryList(region, cs, lang);
  const notOrigin = (cs: readonly string[]) => cs.filter((c) => c !== decision.originCountry);
  const parts: string[] = [];
  for (const firing of decision.rules) {
    if (firing.rule === 'area') {
      const cs = notOrigin(firing.countries);
      if (cs.length === 0) continue;
      parts.push(
        renderHubTemplate(region, 'area', lang, {
          countries: names(cs),
          bufferKm: String(firing.bufferKm),
        }) ?? '',
      );
    } else if (firing.rule === 'river' || firing.rule === 'lake') {
      const config =
        firing.rule === 'river'
          ? routing.rivers.find((r) => r.id === firing.reach)?.river
          : routing.lakes.find((l) => l.id === firing.lake)?.name;
      const label =
        config === undefined
          ? firing.rule === 'river'
            ? firing.river
            : firing.name
          : pickLocalized(config, lang);
      for (const a of firing.arrivals) {
        if (a.country === decision.originCountry) continue;
        parts.push(
          renderHubTemplate(region, firing.rule, lang, {
            river: label,
            lake: label,
            country: countryName(region, a.country, lang),
            place: a.place,
            from: humanDateTime(a.from),
            to: humanDateTime(a.to),
          }) ?? '',
        );
      }
    } else {
      parts.push(
        renderHubTemplate(region, 'earthquake', lang, {
          magnitude: String(firing.magnitude),
          depthKm: String(firing.depthKm),
          intensity: String(firing.feltIntensity),
          radiusKm: firing.radiusKm.toFixed(0),
          countries: names(notOrigin(firing.countries)),
        }) ?? '',
      );
    }
  }
  return parts.filter((p) => p !== '').join(lang === 'zh' ? '' : ' ');
}
