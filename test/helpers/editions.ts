/**
 * The constructed MeteoInfo-style editions of one warning (test/fixtures/feeds/SOURCE.md),
 * addressed to Kazakhstan's duty service and moved to Naryn (far from every border, so no hub
 * alert comes in between), for tests of a warning in two languages.
 */
import { readFileSync } from 'node:fs';
import type { CapAlert } from '../../protocols/cap/model.ts';
import { parseCap } from '../../protocols/cap/parse.ts';

/** The English or Russian edition, changed by `change`. */
export function meteoInfoEdition(
  language: 'en' | 'ru',
  change: (alert: CapAlert) => void = () => undefined,
): CapAlert {
  const xml = readFileSync(
    new URL(`../fixtures/feeds/meteoinfo/warning-${language}.cap`, import.meta.url),
    'utf8',
  );
  const alert = parseCap(xml);
  alert.scope = 'Restricted';
  alert.restriction = 'partner duty services';
  alert.addresses = 'kz-mes';
  for (const info of alert.info)
    for (const area of info.area)
      area.polygon = ['41.35,75.90 41.35,76.10 41.50,76.10 41.50,75.90 41.35,75.90'];
  change(alert);
  return alert;
}
