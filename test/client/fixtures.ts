/** Alerts and people for the console's browser tests. */
import type { CapAlert, CapArea, CapInfo } from '../../protocols/cap/model.ts';
import { addUser, postCap, type LiveTestHub } from '../helpers/console.ts';
import { capXml } from '../helpers/hub.ts';

/**
 * A Severe hail alert from kg-mes for Naryn, addressed to `to` (so that organisation is
 * expected to acknowledge it), with `change` applied (given its first info and area too).
 * Naryn is far enough from every border that the hub issues no transboundary alert of its own,
 * so each post is exactly one alert on the consoles.
 */
export function addressedAlert(
  to: string,
  change: (alert: CapAlert, info: CapInfo, area: CapArea) => void = () => undefined,
) {
  return capXml((a) => {
    a.scope = 'Restricted';
    a.restriction = 'partner duty services';
    a.addresses = to;
    const info = a.info[0];
    const area = info?.area[0];
    if (info === undefined || area === undefined) throw new Error('the test alert has no area');
    info.event = 'Hailstorm';
    info.category = ['Met'];
    info.headline = 'Large hail expected in Naryn';
    info.description = 'Hail up to 3 cm with thunderstorms this afternoon.';
    area.areaDesc = 'Naryn, Naryn region';
    area.polygon = ['41.35,75.90 41.35,76.10 41.50,76.10 41.50,75.90 41.35,75.90'];
    area.circle = [];
    area.geocode = [{ valueName: 'ISO 3166-2', value: 'KG-N' }];
    change(a, info, area);
  });
}

/** A change for {@link addressedAlert}: this headline instead. */
export function withHeadline(headline: string): (alert: CapAlert) => void {
  return (a) => {
    if (a.info[0] !== undefined) a.info[0].headline = headline;
  };
}

/**
 * Posts one {@link addressedAlert} for kz-mes per headline, moving the hub's clock a minute on
 * before each (so they are sent in this order); returns their ids in that order.
 */
export async function postMinutesApart(
  hub: LiveTestHub,
  key: string,
  headlines: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const headline of headlines) {
    hub.clock.now += 60_000;
    ids.push(await postAlert(hub, key, addressedAlert('kz-mes', withHeadline(headline))));
  }
  return ids;
}

/** Posts CAP as kg-mes; returns the new alert's id. */
export async function postAlert(hub: LiveTestHub, key: string, xml: string): Promise<string> {
  const answer = await postCap(hub.url, key, xml);
  if (answer.status !== 201) throw new Error(`posting failed: ${answer.status}`);
  return answer.body.id;
}

/** A person of `orgId` with `role`; returns name and password. */
export async function person(
  hub: LiveTestHub,
  orgId: string,
  name: string,
  role = 'officer',
): Promise<{ name: string; password: string }> {
  return { name, password: await addUser(hub.hub.store, orgId, name, role) };
}
