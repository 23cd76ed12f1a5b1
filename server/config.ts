/**
 * The one typed configuration of the hub, read from the environment.
 *
 * This is the only module that reads `process.env`: everything else receives a {@link Config}.
 * Each variable is declared once in {@link configTable} (name, default, description and its
 * parser), so the README's configuration table is generated from the same rows that parse.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseFeedAllowList } from '../feeds/http/address-policy.ts';
import { HubError } from '../protocols/errors.ts';
import { parseCorsOrigins } from './security/cors.ts';
import { parseTrustProxy, type TrustProxy } from './security/trust-proxy.ts';

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

/** Requests per minute before `RATE_LIMITED` (429); 0 turns a limit off. */
export interface RateLimits {
  /** `HUB_RATE_LIMIT_KEY`: per API key or session. */
  readonly key: number;
  /** `HUB_RATE_LIMIT_ADDRESS`: per client address, anonymous and refused requests. */
  readonly address: number;
  /** `HUB_LOGIN_LIMIT_NAME`: log-in attempts per user name. */
  readonly loginName: number;
  /** `HUB_LOGIN_LIMIT_ADDRESS`: log-in attempts per client address. */
  readonly loginAddress: number;
}

/** A map tile server for the console (`HUB_TILE_URL`, `HUB_TILE_ATTRIBUTION`). */
export interface MapTiles {
  /** Leaflet URL template: `{z}`, `{x}`, `{y}` (or `{-y}`), `{s}` only in the host's first label. */
  readonly url: string;
  /** Credit shown on the map (plain text); null: none. */
  readonly attribution: string | null;
}

/** `HUB_LOGIN_LOCKOUT`: after `failures` failed log-ins in a row, a name is locked for `ms`. */
export interface LoginLockout {
  readonly failures: number;
  readonly ms: number;
}

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
  /** `HUB_FEED_ALLOW`: hosts and networks (CIDR) feeds may reach although not public. */
  readonly feedAllow: readonly string[];
  /** `HUB_FEED_TIMEOUT_SECONDS`: the longest fetch of a feed document, in ms. */
  readonly feedTimeoutMs: number;
  /** `HUB_REGION_FEEDS`: poll the feeds the region file lists. */
  readonly regionFeeds: boolean;
  /** `HUB_WIS2_URL`: the MQTT broker of WIS2 notifications; absent: `MQTT_URL`. */
  readonly wis2Url?: string;
  /** `HUB_WIS2_TOPIC`: the WIS2 topic filter subscribed to; null: none. */
  readonly wis2Topic: string | null;
  /** `HUB_WIS2_CENTRES`: WIS2 centre id → organisation id (`*`: every other centre). */
  readonly wis2Centres: Readonly<Record<string, string>>;
  /** `HUB_CORS_ORIGINS`: origins whose web pages may call the API; empty: none. */
  readonly corsOrigins: readonly string[];
  /** `HUB_TRUST_PROXY`: express's `trust proxy` (false: the TCP peer is the client). */
  readonly trustProxy: TrustProxy;
  /** `HUB_RATE_LIMIT_*`, `HUB_LOGIN_LIMIT_*`. */
  readonly rateLimits: RateLimits;
  /** `HUB_LOGIN_LOCKOUT`; null: never locked. */
  readonly loginLockout: LoginLockout | null;
  /** `HUB_AUDIT_RETENTION_DAYS`: days security audit entries are kept; 0: forever. */
  readonly auditRetentionDays: number;
  /** `HUB_SIGNING_KEY`, absolute: PEM private key the hub signs its own CAP with. */
  readonly signingKeyFile?: string;
  /** `HUB_SIGNING_CERT`, absolute: PEM certificate of that key, published for partners. */
  readonly signingCertFile?: string;
  /** `HUB_PUBLIC_URL`: the hub's address as browsers reach it (OIDC redirect URIs); absent: each request's own. */
  readonly publicUrl?: string;
  /** `HUB_OIDC_<ORG>_CLIENT_SECRET`: OIDC client secrets by ORG (the organisation id upper-cased, `_` for `-`). */
  readonly oidcClientSecrets?: Readonly<Record<string, string>>;
  /** `HUB_TILE_URL` and `HUB_TILE_ATTRIBUTION`: a tile layer under the console's map; null: none. */
  readonly mapTiles: MapTiles | null;
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

/** A count per minute where 0 means "no limit". */
function perMinuteSchema() {
  return z
    .string()
    .regex(integerText, 'be a whole number of requests per minute (0: no limit)')
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), 'be a whole number of requests per minute');
}

/** `5/15`: 5 failures in a row lock a name for 15 minutes; `off`. */
function lockoutSchema() {
  const message = 'be "off" or FAILURES/MINUTES such as 5/15';
  return z.string().transform((text, ctx): LoginLockout | null => {
    if (text.toLowerCase() === 'off') return null;
    const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(text);
    const failures = Number(match?.[1]);
    const minutes = Number(match?.[2]);
    if (!(failures >= 1 && failures <= 1000 && minutes > 0 && minutes <= 7 * 24 * 60)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return { failures, ms: minutes * 60_000 };
  });
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

/** An MQTT topic filter (MQTT 3.1.1 §4.7: `+` a whole level, `#` the last); `none`: null. */
function wis2TopicSchema() {
  return z
    .string()
    .refine(
      (t) =>
        t.toLowerCase() === 'none' ||
        t
          .split('/')
          .every((level, k, all) =>
            level === '#'
              ? k === all.length - 1
              : level === '+' || (level !== '' && !/[+#\s]/.test(level)),
          ),
      'be an MQTT topic filter (+ for a whole level, # only last) or none',
    )
    .transform((t) => (t.toLowerCase() === 'none' ? null : t));
}

/** `centre-id=org,…`; `*` for every other centre. */
function wis2CentresSchema() {
  const message =
    'be a list such as kz-kazhydromet=kz-mes,*=hub (WIS2 centre id = organisation id)';
  return z.string().transform((text, ctx) => {
    const map: Record<string, string> = {};
    for (const part of text.split(',')) {
      const m = /^\s*(\*|[a-z0-9][a-z0-9_-]*)\s*=\s*([a-z0-9][a-z0-9-]{1,31})\s*$/i.exec(part);
      if (m?.[1] === undefined || m[2] === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      map[m[1].toLowerCase()] = m[2].toLowerCase();
    }
    return map;
  });
}

/**
 * A Leaflet tile URL template over http(s) naming `{z}`, `{x}` and `{y}` (or `{-y}`). `{s}`
 * (Leaflet's subdomains) may only stand in the host's first label, so the console's
 * Content-Security-Policy can allow the server as `*.rest-of-host`.
 */
function tileUrlSchema() {
  return urlSchema(['http:', 'https:'], true)
    .refine(
      (t) => t.includes('{z}') && t.includes('{x}') && (t.includes('{y}') || t.includes('{-y}')),
      'name {z}, {x} and {y} (a Leaflet tile URL template)',
    )
    .refine(
      (t) => !URL.canParse(t) || !new URL(t).host.split('.').slice(1).join('.').includes('{'),
      'have {s} only in the first label of the host',
    );
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
  HUB_CORS_ORIGINS: {
    default: undefined,
    description:
      'Origins (comma-separated, e.g. `https://ops.example.org`) whose web pages may call the API from a browser; unset: none (the console is served by the hub itself).',
    schema: z
      .string()
      .transform((text, ctx) => {
        const parsed = parseCorsOrigins(text);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }
        return parsed.origins;
      })
      .optional(),
  },
  HUB_TRUST_PROXY: {
    default: 'off',
    description:
      '`off` (the TCP peer is the client), the number of reverse proxies in front of the hub, or their addresses (`loopback`, `10.0.0.0/8`, …): whose `X-Forwarded-For` names the client address used by rate limits and the audit log.',
    schema: z.string().transform((text, ctx) => {
      const parsed = parseTrustProxy(text);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    }),
  },
  HUB_RATE_LIMIT_KEY: {
    default: '60000',
    description:
      'Requests per minute per API key or session before `RATE_LIMITED` (429); `0`: no limit. A flood guard: shared through Redis when `REDIS_URL` is set.',
    schema: perMinuteSchema(),
  },
  HUB_RATE_LIMIT_ADDRESS: {
    default: '600',
    description:
      'Requests per minute per client address without valid credentials (anonymous, or with an unknown, revoked or expired token) before `RATE_LIMITED`; `0`: no limit.',
    schema: perMinuteSchema(),
  },
  HUB_LOGIN_LIMIT_NAME: {
    default: '10',
    description:
      'Log-in attempts (`POST /api/v1/session`) per minute per user name before `RATE_LIMITED`; `0`: no limit.',
    schema: perMinuteSchema(),
  },
  HUB_LOGIN_LIMIT_ADDRESS: {
    default: '30',
    description:
      'Log-in attempts per minute per client address before `RATE_LIMITED`; `0`: no limit.',
    schema: perMinuteSchema(),
  },
  HUB_LOGIN_LOCKOUT: {
    default: '5/15',
    description:
      'After this many failed log-ins in a row a user name is locked for this many minutes (`AUTH_LOCKED`, 423), on every hub node; `off`: never.',
    schema: lockoutSchema(),
  },
  HUB_AUDIT_RETENTION_DAYS: {
    default: '365',
    description:
      'Days the security audit log (`GET /api/v1/audit`) keeps an entry; older ones are deleted every hour (the deletion is itself an `audit.pruned` entry with the count); `0`: keep every entry.',
    schema: z
      .string()
      .regex(integerText, 'be a whole number of days (0: keep forever)')
      .transform(Number)
      .refine((n) => n <= 36_500, 'be at most 36500 days'),
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
  HUB_FEED_ALLOW: {
    default: undefined,
    description:
      'Hosts, IP addresses or CIDR networks (comma-separated, e.g. `127.0.0.1,10.20.0.0/16,feeds.lan`) that feeds may reach although they are private or loopback; every other non-public address is refused.',
    schema: z
      .string()
      .transform((text, ctx) => {
        const list = parseFeedAllowList(text);
        if (list.invalid.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `be a comma-separated list of host names, IP addresses or CIDRs (not ${list.invalid.join(', ')})`,
          });
          return z.NEVER;
        }
        return [...list.hosts, ...list.cidrs];
      })
      .optional(),
  },
  HUB_FEED_TIMEOUT_SECONDS: {
    default: '60',
    description:
      'Longest fetch of one feed document or linked CAP message, redirects included, in seconds (connecting gets at most 10 s of it, each silence while reading at most 20 s).',
    schema: positiveNumberSchema(600),
  },
  HUB_REGION_FEEDS: {
    default: 'off',
    description:
      "`on` polls the partners' real feeds the region file lists (the built-in region: MeteoInfo CAP feeds of Kazhydromet, Kyrgyzhydromet and Uzhydromet, CMA through WMO SWIC, USGS and EMSC); `off` polls only feeds added with `ewx feeds add` or the admin API.",
    schema: z
      .string()
      .transform((text) => text.toLowerCase())
      .pipe(z.enum(['on', 'off'], { error: 'be on or off' }))
      .transform((value) => value === 'on'),
  },
  HUB_WIS2_URL: {
    default: undefined,
    description:
      'MQTT broker of WIS2 notifications (a WIS2 Global Broker, `mqtts://…`); unset uses `MQTT_URL`.',
    secret: true,
    schema: urlSchema(['mqtt:', 'mqtts:', 'ws:', 'wss:'], true).optional(),
  },
  HUB_WIS2_TOPIC: {
    default: 'origin/a/wis2/+/data/core/weather/advisories-warnings/#',
    description:
      'WIS2 topic filter whose notifications announce CAP warnings to fetch and ingest; `none` subscribes to nothing.',
    schema: wis2TopicSchema(),
  },
  HUB_WIS2_CENTRES: {
    default: undefined,
    description:
      'Which organisation ingests the CAP of a WIS2 centre, as `centre-id=org` pairs (`kz-kazhydromet=kz-mes,*=hub`); unmapped centres go to the partner of the country their id starts with (`kz-…` → KZ), else to `*`.',
    schema: wis2CentresSchema().optional(),
  },
  HUB_SIGNING_KEY: {
    default: undefined,
    description:
      'Path of the PEM private key (RSA of 2048 bits or more, or EC) the hub signs every CAP it issues with (enveloped XML-DSig, RSA-SHA256); set together with `HUB_SIGNING_CERT`. Unset: hub CAP is unsigned.',
    schema: z
      .string()
      .transform((file) => path.resolve(file))
      .optional(),
  },
  HUB_SIGNING_CERT: {
    default: undefined,
    description:
      'Path of the PEM X.509 certificate of `HUB_SIGNING_KEY`, put in each signature and published at `GET /api/v1/trust/hub.pem` for partners to pin.',
    schema: z
      .string()
      .transform((file) => path.resolve(file))
      .optional(),
  },
  HUB_PUBLIC_URL: {
    default: undefined,
    description:
      "The hub's address as browsers reach it (`https://ewx.example.org`, a path allowed), used in the redirect URI registered at each identity provider (OIDC log-in); unset: the address of each request (behind a reverse proxy set it, or `HUB_TRUST_PROXY`).",
    schema: urlSchema(['http:', 'https:'], true)
      .refine(
        (u) => !URL.canParse(u) || (new URL(u).search === '' && new URL(u).hash === ''),
        'have no query or fragment',
      )
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  },
  HUB_TILE_URL: {
    default: undefined,
    description:
      "Tile server drawn under the console map's country boundaries, as a Leaflet URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`; `{s}` only in the host's first label); unset: boundaries only, no tile is ever requested.",
    schema: tileUrlSchema().optional(),
  },
  HUB_TILE_ATTRIBUTION: {
    default: undefined,
    description:
      'Credit for the tile server shown on the console map (plain text, e.g. `© OpenStreetMap contributors`); used only with `HUB_TILE_URL`.',
    schema: z.string().max(300, 'be at most 300 characters').optional(),
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
  const oidcClientSecrets = oidcClientSecretsOf(env);
  return {
    ...toConfig(parsed as Parsed),
    ...(Object.keys(oidcClientSecrets).length === 0 ? {} : { oidcClientSecrets }),
  };
}

/**
 * `HUB_OIDC_<ORG>_CLIENT_SECRET` variables (one per organisation with an identity provider,
 * so they are not rows of {@link configTable}): ORG → secret. Never echoed anywhere.
 */
function oidcClientSecretsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const org = /^HUB_OIDC_([A-Z0-9_]+)_CLIENT_SECRET$/.exec(name)?.[1];
    const secret = value?.trim();
    if (org !== undefined && secret !== undefined && secret !== '') secrets[org] = secret;
  }
  return secrets;
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
    feedAllow: env.HUB_FEED_ALLOW ?? [],
    feedTimeoutMs: env.HUB_FEED_TIMEOUT_SECONDS * 1000,
    regionFeeds: env.HUB_REGION_FEEDS,
    ...(env.HUB_WIS2_URL === undefined ? {} : { wis2Url: env.HUB_WIS2_URL }),
    wis2Topic: env.HUB_WIS2_TOPIC,
    wis2Centres: env.HUB_WIS2_CENTRES ?? {},
    corsOrigins: env.HUB_CORS_ORIGINS ?? [],
    trustProxy: env.HUB_TRUST_PROXY,
    rateLimits: {
      key: env.HUB_RATE_LIMIT_KEY,
      address: env.HUB_RATE_LIMIT_ADDRESS,
      loginName: env.HUB_LOGIN_LIMIT_NAME,
      loginAddress: env.HUB_LOGIN_LIMIT_ADDRESS,
    },
    loginLockout: env.HUB_LOGIN_LOCKOUT,
    auditRetentionDays: env.HUB_AUDIT_RETENTION_DAYS,
    ...(env.HUB_SIGNING_KEY === undefined ? {} : { signingKeyFile: env.HUB_SIGNING_KEY }),
    ...(env.HUB_SIGNING_CERT === undefined ? {} : { signingCertFile: env.HUB_SIGNING_CERT }),
    ...(env.HUB_PUBLIC_URL === undefined ? {} : { publicUrl: env.HUB_PUBLIC_URL }),
    mapTiles:
      env.HUB_TILE_URL === undefined
        ? null
        : { url: env.HUB_TILE_URL, attribution: env.HUB_TILE_ATTRIBUTION ?? null },
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
