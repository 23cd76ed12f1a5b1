/**
 * Browser tests of the console: Debian's Chromium driven by playwright-core, against a real
 * hub on a loopback port (real socket.io). Each page collects console errors and uncaught
 * exceptions, which the tests assert are none. Screenshots go to `test/artifacts/`. The
 * suite set-up that uses these is in `suite.ts`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildConsole } from '../../client/build.ts';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

let built: Promise<unknown> | undefined;

/** Builds the console once per test run (the hub serves `client/dist`). */
export function ensureConsoleBuilt(): Promise<unknown> {
  built ??= buildConsole();
  return built;
}

/**
 * For `before()`: skips the suite with one line when Chromium is missing (fails under
 * CI=true, where `.ci/run` installs it), then builds the console.
 */
export async function requireChromium(context: Mocha.Context): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`Chromium is not installed at ${CHROMIUM}`);
    process.stderr.write(`      skipped: no Chromium at ${CHROMIUM}\n`);
    context.skip();
  }
  await ensureConsoleBuilt();
}

/** `value`, which `before()` has set (throws when it has not: the suite was not set up). */
export function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the suite was not set up');
  return value;
}

/** Launches headless Chromium; sound may play without a click (the alarm's beeps). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--autoplay-policy=no-user-gesture-required'],
  });
}

/** A console page and what went wrong in it. */
export interface ConsolePage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions, as text. */
  readonly errors: string[];
}

/** Opens the console at `url` in a fresh context (its own storage), officer's time zone. */
export async function openConsole(browser: Browser, url: string): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Asia/Almaty',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    errors.push(`page: ${error.message}`);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page, errors };
}

/** Logs in with the mouse-free path a person would also use: type, Enter. */
export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('#console-view:not([hidden])');
  await page.waitForSelector('#connection[data-state="live"]');
}

/** Saves a full-page screenshot as `test/artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** The list row of an alert. */
export function row(page: Page, alertId: string) {
  return page.locator(`#alert-list [data-id="${alertId}"]`);
}

/** The map layer(s) of an alert. */
export function mapArea(page: Page, alertId: string) {
  return page.locator(`#map path.alert-${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`);
}
