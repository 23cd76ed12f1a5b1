/**
 * The hub's logger: structured JSON lines (pino) at the level the configuration asks for.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

/** The logger every part of the server receives. */
export type { Logger };

/**
 * Creates the hub's root logger.
 *
 * @param config - only `logLevel` is read.
 * @param destination - where lines go; standard output when omitted (tests pass a sink).
 */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, base: { service: 'ewx' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
