/**
 * The national services of the demo: Kazakhstan, Kyrgyzstan and Uzbekistan each publish a
 * CAP Atom feed (a loopback HTTP server, `./cap-atom-partner.ts`) that the hub polls every
 * 30 seconds; the warnings of `../scenario.ts` appear in them over the first minutes.
 */
import type { CapReference } from '../../protocols/cap/model.ts';
import { buildCap } from '../../protocols/cap/build.ts';
import type { DemoPartner } from '../partner.ts';
import { demoScenario, type DemoPublisher } from '../scenario.ts';
import { startCapAtomPartner, type CapAtomPartner } from './cap-atom-partner.ts';

/** How often the hub polls the demo feeds: every 30 seconds (the fastest the hub allows). */
export const DEMO_FEED_CRON = '*/30 * * * * *';

const titles: Record<DemoPublisher, string> = {
  'kz-mes': 'Kazhydromet warnings (simulated)',
  'kg-mes': 'MES of the Kyrgyz Republic warnings (simulated)',
  'uz-mes': 'Uzhydromet warnings (simulated)',
};

/** The three national CAP Atom feeds; `msPerSecond` (default 1000) shortens the scenario. */
export function nationalFeeds(options: { readonly msPerSecond?: number } = {}): DemoPartner {
  return {
    name: 'national CAP Atom feeds (KZ, KG, UZ)',
    async start(context) {
      const feeds = new Map<DemoPublisher, CapAtomPartner>();
      for (const publisher of Object.keys(titles) as DemoPublisher[])
        feeds.set(publisher, await startCapAtomPartner({ title: titles[publisher] }));
      const published = new Map<string, CapReference>();
      const timers: NodeJS.Timeout[] = [];
      for (const step of demoScenario()) {
        const publish = (): void => {
          const alert = step.build(Date.now(), published);
          published.set(step.key, alert);
          feeds.get(step.publisher)?.publish(buildCap(alert));
          if (step.at > 0)
            context.say(
              `  ${step.publisher} published: ${alert.info[0]?.headline ?? alert.identifier}`,
            );
        };
        if (step.at === 0) publish();
        else timers.push(setTimeout(publish, step.at * (options.msPerSecond ?? 1000)));
      }
      return {
        feeds: [...feeds].map(([org, partner]) => ({
          id: `demo-${org}`,
          org,
          type: 'cap-atom',
          url: partner.url,
          cron: DEMO_FEED_CRON,
        })),
        description: [...feeds].map(
          ([org, partner]) => `${titles[org]} for ${org}: ${partner.url} (polled every 30 s)`,
        ),
        async stop() {
          for (const timer of timers) clearTimeout(timer);
          for (const partner of feeds.values()) await partner.close();
        },
      };
    },
  };
}
