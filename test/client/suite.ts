/**
 * The set-up every browser test of the console shares, so a test file states only what is
 * particular to it: {@link consoleSuite} gives a `describe` a live test hub and headless
 * Chromium (started before its tests, closed after them), opens consoles that are closed after
 * each test, and logs in people made for the test by the path a person uses.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startLiveTestHub, type LiveTestHub } from '../helpers/console.ts';
import {
  launchChromium,
  logIn,
  openConsole,
  requireChromium,
  row,
  started,
  type ConsolePage,
} from './browser.ts';
import { person, postAlert } from './fixtures.ts';

/** How {@link startLiveTestHub} starts a hub (its environment, clock …). */
export type LiveHubOptions = Parameters<typeof startLiveTestHub>[0];

/** Options of {@link consoleSuite}. */
export interface ConsoleSuiteOptions {
  /** How to start the suite's hub; `false`: none, the tests start theirs with `startHub`. */
  readonly hub?: LiveHubOptions | false;
}

/** What a browser test uses, once the suite's `before()` has run. */
export interface ConsoleSuite {
  /** The suite's hub. */
  readonly hub: LiveTestHub;
  readonly browser: Browser;
  /** Starts another hub, destroyed after the suite. */
  startHub(options?: LiveHubOptions): Promise<LiveTestHub>;
  /**
   * Starts a loopback server with `start` in `before()` (after the hub and the browser) and
   * closes it after the suite (after them); the function returned gives it to the tests.
   */
  serve<T extends { readonly server: Server }>(start: () => Promise<T>): () => T;
  /** Opens the console of `hub` (the suite's) in a fresh context, closed after the test. */
  open(hub?: LiveTestHub): Promise<ConsolePage>;
  /** Makes a person of `orgId` with `role` on `hub` and logs them in on `page`. */
  logInAs(page: Page, orgId: string, name: string, role?: string, hub?: LiveTestHub): Promise<void>;
  /** {@link open}, then {@link logInAs}: a console of a person of `orgId`, live. */
  loggedIn(orgId: string, name: string, role?: string, hub?: LiveTestHub): Promise<ConsolePage>;
  /**
   * Posts CAP with `key` to the suite's hub and waits for the alert's row on `page` (within
   * `timeout` ms when given); returns the alert's id.
   */
  postUntilShown(page: Page, key: string, xml: string, timeout?: number): Promise<string>;
}

/**
 * For the body of a `describe`: gives the suite two minutes a test, starts the hub (unless
 * `hub: false`) and Chromium in `before()` (skipping the suite without Chromium, see
 * {@link requireChromium}), closes the consoles a test opened after it, and the browser and
 * every hub after the suite. Hooks the file adds run after these.
 */
export function consoleSuite(
  mochaSuite: Mocha.Suite,
  options: ConsoleSuiteOptions = {},
): ConsoleSuite {
  mochaSuite.timeout(120_000);
  let browser: Browser | undefined;
  let hub: LiveTestHub | undefined;
  const hubs: LiveTestHub[] = [];
  const consoles: ConsolePage[] = [];

  before(async function () {
    await requireChromium(this);
    if (options.hub !== false) {
      hub = await startLiveTestHub(options.hub);
      hubs.push(hub);
    }
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const opened of consoles.splice(0)) await opened.context.close();
  });

  after(async () => {
    await browser?.close();
    for (const each of hubs.splice(0)) await each.destroy();
  });

  const suite: ConsoleSuite = {
    get hub() {
      return started(hub);
    },
    get browser() {
      return started(browser);
    },
    async startHub(hubOptions) {
      const another = await startLiveTestHub(hubOptions);
      hubs.push(another);
      return another;
    },
    serve<T extends { readonly server: Server }>(start: () => Promise<T>) {
      let served: T | undefined;
      before(async () => {
        served = await start();
      });
      after(() => {
        served?.server.close();
      });
      return () => started(served);
    },
    async open(on = suite.hub) {
      const opened = await openConsole(suite.browser, on.url);
      consoles.push(opened);
      return opened;
    },
    async logInAs(page, orgId, name, role = 'officer', on = suite.hub) {
      const someone = await person(on, orgId, name, role);
      await logIn(page, someone.name, someone.password);
    },
    async loggedIn(orgId, name, role = 'officer', on = suite.hub) {
      const opened = await suite.open(on);
      await suite.logInAs(opened.page, orgId, name, role, on);
      return opened;
    },
    async postUntilShown(page, key, xml, timeout) {
      const id = await postAlert(suite.hub, key, xml);
      await row(page, id).waitFor(timeout === undefined ? {} : { timeout });
      return id;
    },
  };
  return suite;
}
