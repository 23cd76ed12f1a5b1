/**
 * A simulated partner of the demo: something that starts beside the hub (an HTTP server
 * publishing CAP, an MQTT publisher of gauge readings …) and tells the demo which feeds to
 * register for it; it may first set the hub's environment (`prepare`). Partners are listed in
 * `./partners/index.ts`; adding one is writing a {@link DemoPartner} and appending it there.
 */
import type { Hub } from '../server/hub.ts';
import type { Config } from '../server/config.ts';

/** What a partner gets when the demo starts it. */
export interface DemoContext {
  /** The running hub: its store, region, feeds … (e.g. to register stations). */
  readonly hub: Hub;
  readonly config: Config;
  /** Where the hub listens, e.g. `http://127.0.0.1:8080`. */
  readonly hubUrl: string;
  /** Prints one line for the person running the demo. */
  say(line: string): void;
}

/** A feed the demo registers for a partner (the body of `POST /api/v1/feeds`). */
export interface DemoFeed {
  readonly id: string;
  readonly org: string;
  readonly type: string;
  readonly url: string;
  readonly cron?: string;
}

/** A started partner. */
export interface StartedPartner {
  /** Feeds to register (polled at once, then on their cron). */
  readonly feeds: readonly DemoFeed[];
  /** Lines describing it, printed once everything runs. */
  readonly description: readonly string[];
  stop(): Promise<void>;
}

/** A simulated partner. */
export interface DemoPartner {
  readonly name: string;
  /**
   * Runs before the hub starts and returns environment variables for the hub's configuration
   * (e.g. `MQTT_URL` once a broker answers; an empty value unsets one).
   */
  prepare?(env: Readonly<NodeJS.ProcessEnv>): Promise<Readonly<Record<string, string>>>;
  start(context: DemoContext): Promise<StartedPartner>;
}

/** Options every partner of `./partners/index.ts` is made with. */
export interface DemoOptions {
  /** How many times faster than real time the partners run (`DEMO_SPEED`, default 1). */
  readonly speed: number;
}
