/**
 * The one typed configuration of the hub, read from the environment.
 *
 * This is the only module that reads `process.env`: everything else receives a {@link Config}.
 * Each variable is declared once in {@link configTable} (name, default, description and its
 * parser), so the README's configuration table is generated from the same rows that parse.
 */
import path from 'node:path';
import { z } from 'zod';
import { HubError } from '../protocols/errors.ts';

/** Log levels pino understands, least to most verbose, plus `silent`. */
export const LogLevel = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
} as const;
/** A value of `LOG_LEVEL`. */
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Where alerts, incidents and deliveries are kept. */
export const StoreKind = { mongodb: 'mongodb', sqlite: 'sqlite' } as const;
/** `mongodb` when `MONGODB_URI` is set, the embedded `sqlite` store otherwise. */
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];

/** The hub's configuration, validated and with defaults applied. */
export interface Config {
  /** `HUB_PORT`; 0 asks the OS for a free port (tests). */
  readonly port: number;
  /** `HUB_HOST`: the address to bind. */
  readonly host: string;
  /** `HUB_DATA_DIR`, absolute. */
  readonly dataDir: string;
  /** `MONGODB_URI`; absent means the embedded SQLite store. */
  readonly mongodbUri?: string;
  /** `REDIS_URL`; absent means a single hub node with in-memory adapters. */
  readonly redisUrl?: string;
  /** `MQTT_URL`; absent means no MQTT ingest or notifications. */
  readonly mqttUrl?: string;
  /** `HUB_REGION`, absolute; absent means the built-in Central Asia region. */
  readonly regionFile?: string;
  /** `LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** `HUB_MAX_XML_BYTES`: the largest XML document accepted, in bytes. */
  readonly maxXmlBytes: number;
  /** `HUB_SESSION_HOURS`: how long a person's session token is valid, in ms. */
  readonly sessionTtlMs: number;
  /** `HUB_HEARTBEAT_SECONDS`: the `/console` heartbeat period, in ms. */
  readonly heartbeatMs: number;
  /** `HUB_ESCALATION`: escalation window per CAP severity, in ms. */
  readonly escalationWindowsMs: Readonly<Partial<Record<string, number>>>;
  /** Derived from `MONGODB_URI`. */
  readonly store: StoreKind;
}

/** One environment variable: its documentation and how its text is checked. */
export interface ConfigVariable {
  /** The environment variable, exactly as users set it. */
  readonly name: string;
  /** The text used when the variable is unset or empty; `undefined` means "unset". */
  readonly default: string | undefined;
  /** One sentence for the README. */
  readonly description: string;
  /** Checks the (trimmed) text; its messages complete "NAME must …". */
  readonly schema: z.ZodType;
  /** The value may carry credentials (URLs), so error messages never echo it. */
  readonly secret?: true;
}

const MAX_XML_BYTES_DEFAULT = 5 * 1024 * 1024;

// Digits only: Number('1e3'), Number(' 80') and parseInt('80abc') would all accept typos.
const integerText = /^\d+$/;

function portSchema() {
  return z
    .string()
    .regex(integerText, 'be an integer from 0 to 65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'be an integer from 0 to 65535');
}

function positiveIntegerSchema() {
  return z
    .string()
    .regex(integerText, 'be a positive integer')
    .transform(Number)
    .refine((n) => n > 0 && Number.isSafeInteger(n), 'be a positive integer');
}

function positiveNumberSchema(max: number) {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, `be a positive number up to ${max}`)
    .transform(Number)
    .refine((n) => n > 0 && n <= max, `be a positive number up to ${max}`);
}

const severities = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;

/** `Extreme=5,Severe=15` (minutes, decimals allowed); `none` turns escalation off. */
function escalationSchema() {
  const message = `be "none" or a list such as Extreme=5,Severe=15 (CAP severity = minutes; severities: ${severities.join(', ')})`;
  return z.string().transform((text, ctx) => {
    const windows: Partial<Record<string, number>> = {};
    if (text.toLowerCase() === 'none') return windows;
    for (const part of text.split(',')) {
      const match = /^\s*([A-Za-z]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
      const severity = severities.find((s) => s.toLowerCase() === match?.[1]?.toLowerCase());
      const minutes = Number(match?.[2]);
      if (severity === undefined || !(minutes > 0) || severity in windows) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      windows[severity] = minutes * 60_000;
    }
    return windows;
  });
}

/**
 * A URL whose scheme is one of `schemes`. MongoDB URIs list several hosts
 * (`mongodb://a:1,b:2/db`), which WHATWG URL cannot parse, so only their scheme is checked.
 */
function urlSchema(schemes: readonly string[], parse: boolean) {
  const expected = `start with ${schemes.map((s) => `${s}//`).join(' or ')}`;
  return z
    .string()
    .refine((text) => schemes.some((s) => text.toLowerCase().startsWith(`${s}//`)), expected)
    .refine((text) => !parse || URL.canParse(text), 'be a valid URL');
}

/**
 * Every environment variable the hub reads, in README order. Keyed by name so that the parsed
 * object is typed per variable.
 */
const variables = {
  HUB_PORT: {
    default: '8080',
    description: 'TCP port of the HTTP and socket.io server; `0` picks a free port.',
    schema: portSchema(),
  },
  HUB_HOST: {
    default: '127.0.0.1',
    description: 'Address to listen on; `0.0.0.0` or `::` to accept remote connections.',
    schema: z.string().regex(/^\S+$/, 'be a host name or IP address without spaces'),
  },
  HUB_DATA_DIR: {
    default: './data',
    description:
      'Directory of the embedded SQLite store and other hub state; created when missing.',
    schema: z.string().transform((dir) => path.resolve(dir)),
  },
  MONGODB_URI: {
    default: undefined,
    description:
      'MongoDB connection string (`mongodb://` or `mongodb+srv://`); when set, MongoDB is the store instead of SQLite.',
    secret: true,
    schema: urlSchema(['mongodb:', 'mongodb+srv:'], false).optional(),
  },
  REDIS_URL: {
    default: undefined,
    description:
      'Redis (`redis://` or `rediss://`) shared by several hub nodes: socket.io adapter, rate limits, job leases.',
    secret: true,
    schema: urlSchema(['redis:', 'rediss:'], true).optional(),
  },
  MQTT_URL: {
    default: undefined,
    description:
      'MQTT broker (`mqtt://`, `mqtts://`, `ws://` or `wss://`) for sensor observations, WIS2 notifications and CAP notifications out.',
    secret: true,
    schema: urlSchema(['mqtt:', 'mqtts:', 'ws:', 'wss:'], true).optional(),
  },
  HUB_REGION: {
    default: undefined,
    description:
      'Path of a region file (organisations, countries, rivers); unset uses the built-in Central Asia region.',
    schema: z
      .string()
      .transform((file) => path.resolve(file))
      .optional(),
  },
  LOG_LEVEL: {
    default: 'info',
    description: `Log level: ${Object.values(LogLevel).join(', ')}.`,
    schema: z
      .string()
      .transform((level) => level.toLowerCase())
      .pipe(z.enum(LogLevel, { error: `be one of ${Object.values(LogLevel).join(', ')}` })),
  },
  HUB_MAX_XML_BYTES: {
    default: String(MAX_XML_BYTES_DEFAULT),
    description:
      'Largest XML document (CAP alert, feed) accepted, in bytes; larger ones are refused with `XML_TOO_LARGE`.',
    schema: positiveIntegerSchema(),
  },
  HUB_SESSION_HOURS: {
    default: '12',
    description:
      'How long a session token from `POST /api/v1/session` stays valid, in hours (a duty shift).',
    schema: positiveNumberSchema(24 * 30),
  },
  HUB_HEARTBEAT_SECONDS: {
    default: '15',
    description:
      'Period of the `/console` `heartbeat` carrying the latest sequence number, in seconds.',
    schema: positiveNumberSchema(3600),
  },
  HUB_ESCALATION: {
    default: 'Extreme=5,Severe=15',
    description:
      'Minutes an alert may stay unacknowledged per CAP severity before it is re-notified (`none`: never); checked every minute, or a fifth of the shortest window if shorter.',
    schema: escalationSchema(),
  },
} as const satisfies Record<string, Omit<ConfigVariable, 'name'>>;

type VariableName = keyof typeof variables;
type Parsed = { [K in VariableName]: z.output<(typeof variables)[K]['schema']> };

const variableNames = Object.keys(variables) as VariableName[];

/** Every environment variable the hub reads: one row each, the source of the README table. */
export const configTable: readonly ConfigVariable[] = variableNames.map((name) => ({
  name,
  ...variables[name],
}));

/** One problem found in the environment. */
export interface ConfigIssue {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Reads and validates the hub's configuration.
 *
 * An unset or empty (after trimming) variable takes its default, so `HUB_PORT=` in a shell or
 * an `.env` file behaves as if it were absent.
 *
 * @param env - the environment to read; tests pass their own object.
 * @throws HubError `CONFIG_INVALID` naming every invalid variable and what is wrong with it;
 *   `details.issues` lists them as `{variable, problem}`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const issues: ConfigIssue[] = [];
  const parsed: Partial<Record<VariableName, unknown>> = {};
  for (const name of variableNames) {
    const variable: Omit<ConfigVariable, 'name'> = variables[name];
    const text = env[name]?.trim();
    const result = variable.schema.safeParse(
      text === undefined || text === '' ? variable.default : text,
    );
    if (result.success) {
      parsed[name] = result.data;
    } else {
      const problems = [...new Set(result.error.issues.map((issue) => issue.message))];
      // URLs may carry passwords: their value is never echoed, other values help spot typos.
      const got =
        variable.secret === true || text === undefined ? '' : ` (got ${JSON.stringify(text)})`;
      issues.push({ variable: name, problem: `must ${problems.join(' and ')}${got}` });
    }
  }
  if (issues.length > 0) {
    const message = issues.map((issue) => `${issue.variable} ${issue.problem}`).join('; ');
    throw new HubError('CONFIG_INVALID', `Invalid configuration: ${message}.`, {
      details: { issues },
    });
  }
  return toConfig(parsed as Parsed);
}

function toConfig(env: Parsed): Config {
  return {
    port: env.HUB_PORT,
    host: env.HUB_HOST,
    dataDir: env.HUB_DATA_DIR,
    ...(env.MONGODB_URI === undefined ? {} : { mongodbUri: env.MONGODB_URI }),
    ...(env.REDIS_URL === undefined ? {} : { redisUrl: env.REDIS_URL }),
    ...(env.MQTT_URL === undefined ? {} : { mqttUrl: env.MQTT_URL }),
    ...(env.HUB_REGION === undefined ? {} : { regionFile: env.HUB_REGION }),
    logLevel: env.LOG_LEVEL,
    maxXmlBytes: env.HUB_MAX_XML_BYTES,
    sessionTtlMs: env.HUB_SESSION_HOURS * 3_600_000,
    heartbeatMs: env.HUB_HEARTBEAT_SECONDS * 1000,
    escalationWindowsMs: env.HUB_ESCALATION,
    store: env.MONGODB_URI === undefined ? StoreKind.sqlite : StoreKind.mongodb,
  };
}

/**
 * The README's configuration table, generated from {@link configTable}: a markdown header,
 * its separator and one row per variable, joined by newlines (no trailing newline).
 */
export function describeConfig(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = configTable.map(
    (v) =>
      `| \`${v.name}\` | ${v.default === undefined ? '(unset)' : `\`${cell(v.default)}\``} | ${cell(v.description)} |`,
  );
  return ['| Variable | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}
