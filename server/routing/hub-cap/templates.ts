/**
 * The hub's own alert text: templates of the region file rendered in the languages of the
 * addressed countries. A hub alert always carries the region's base languages (en, ru, kk for
 * Central Asia: the hub sits in Almaty) and adds every language of an addressed country that
 * has templates (zh when China is addressed).
 */
import type { Region, TemplateName } from '../../region/region.ts';

/** The primary subtag of a language tag, lower-case ("ru-KZ" → "ru"); CAP's default is en-US. */
export function primaryLanguage(tag: string | undefined): string {
  return (tag ?? 'en-US').split('-')[0]?.toLowerCase() ?? 'en';
}

/** The text for `lang` from a localized map, else English, else the first one. */
export function pickLocalized(map: Readonly<Record<string, string>>, lang: string): string {
  return map[lang] ?? map.en ?? Object.values(map)[0] ?? '';
}

/** Replaces `{name}` placeholders; an unknown one is left as it is (region checks refuse it). */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The template `name` in `lang` rendered with `values`, or undefined when it has no such text. */
export function renderHubTemplate(
  region: Region,
  name: TemplateName,
  lang: string,
  values: Readonly<Record<string, string>>,
): string | undefined {
  const text = region.routing?.hubAlert.templates[name][lang];
  return text === undefined ? undefined : renderTemplate(text, values);
}

/**
 * The languages of a hub alert addressed to `countries`: the region's base languages, then each
 * language of those countries that has a headline template, in country order.
 */
export function hubLanguages(region: Region, countries: readonly string[]): string[] {
  const routing = region.routing;
  if (routing === null) return ['en'];
  const out = [...routing.hubAlert.languages];
  for (const country of countries) {
    for (const lang of region.countries[country]?.languages ?? []) {
      const primary = primaryLanguage(lang);
      if (!out.includes(primary) && routing.hubAlert.templates.headline[primary] !== undefined) {
        out.push(primary);
      }
    }
  }
  return out;
}

/** A country's name in `lang` (the alpha-2 code when the region has no name for it). */
export function countryName(region: Region, country: string, lang: string): string {
  const names = region.countries[country]?.name;
  return names === undefined ? country : pickLocalized(names, lang);
}

/** Country names in `lang`, listed as that language lists them. */
export function countryList(region: Region, countries: readonly string[], lang: string): string {
  // Chinese lists with the enumeration comma 、; the others with ", ".
  return countries.map((c) => countryName(region, c, lang)).join(lang === 'zh' ? '、' : ', ');
}
