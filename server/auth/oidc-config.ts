/**
 * Which organisations log their people in through their own identity provider (OpenID
 * Connect): the optional `oidc` block of an organisation (or of the hub) in the region file.
 * Read here rather than by `server/region/region.ts`, as the feeds are, because only the OIDC
 * log-in uses it; checked at start, so a mistake stops the hub with `CONFIG_INVALID`.
 *
 * ```json
 * {"id": "kz-mes", "country": "KZ", "name": {…},
 *  "oidc": {"issuer": "https://idp.mes.gov.kz/realms/duty", "clientId": "ewx-hub",
 *           "roleClaim": "ewx_roles", "roles": {"duty-officer": "officer"}, "defaultRole": "viewer"}}
 * ```
 *
 * The client secret is best given as `HUB_OIDC_<ORG>_CLIENT_SECRET` (`HUB_OIDC_KZ_MES_CLIENT_SECRET`)
 * rather than in the file; either way it is held in a {@link Secret}, which logs as `[secret]`.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';
import { HubError } from '../../protocols/errors.ts';
import type { Config } from '../config.ts';
import type { Region } from '../region/region.ts';
import { UserRole } from '../store/ports.ts';

/** A value that must never reach a log line or an answer: prints as `[secret]`. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The value itself, for the one place that sends it (the token request). */
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[secret]';
  }
  toString(): string {
    return '[secret]';
  }
  [inspect.custom](): string {
    return '[secret]';
  }
}

/** How the hub authenticates at the provider's token endpoint (OIDC Core §9). */
export const TokenAuthMethod = {
  basic: 'client_secret_basic',
  post: 'client_secret_post',
  /** A public client: PKCE only. */
  none: 'none',
} as const;
/** One of {@link TokenAuthMethod}. */
export type TokenAuthMethod = (typeof TokenAuthMethod)[keyof typeof TokenAuthMethod];

/** One organisation's identity provider, checked. */
export interface OidcProvider {
  readonly orgId: string;
  /** The issuer identifier, exactly as the provider's ID tokens carry it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: Secret | null;
  readonly authMethod: TokenAuthMethod;
  /** The scopes asked for, space-separated (always with `openid`). */
  readonly scope: string;
  /** The claim carrying the person's roles at the provider (a name, or a dotted path). */
  readonly roleClaim: string;
  /** Provider role → hub role. */
  readonly roles: Readonly<Record<string, UserRole>>;
  /** The role of a person none of whose provider roles is mapped; null: refused. */
  readonly defaultRole: UserRole | null;
  /** An `http://` issuer on a loopback address (tests, a provider on the same machine). */
  readonly insecure: boolean;
}

const roleSchema = z.enum(Object.values(UserRole) as [UserRole, ...UserRole[]]);
// RFC 6749 §3.3: scope tokens are printable ASCII without space, `"` and `\`.
const scopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope without spaces');

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const issuerSchema = z.string().refine((text) => {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  if (url.search !== '' || url.hash !== '' || url.username !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}, 'an https:// issuer URL without query or fragment (http:// only on a loopback address)');

/** The `oidc` block of an organisation, as written in the region file. */
export const oidcBlockSchema = z
  .object({
    issuer: issuerSchema,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    tokenEndpointAuthMethod: z.enum(Object.values(TokenAuthMethod)).optional(),
    scopes: z.array(scopeToken).default(['openid', 'profile']),
    roleClaim: z.string().min(1).default('roles'),
    roles: z.record(z.string().min(1), roleSchema).default({}),
    defaultRole: roleSchema.optional(),
    source: z.string().optional(),
    note: z.string().optional(),
  })
  // Strict: a misspelt "defaultrole" must not silently leave everyone without a role.
  .strict()
  .refine(
    (b) => Object.keys(b.roles).length > 0 || b.defaultRole !== undefined,
    'needs "roles" (provider role → viewer, officer, issuer or admin) or a "defaultRole"',
  );
/** An `oidc` block as written. */
export type OidcBlock = z.output<typeof oidcBlockSchema>;

const regionOidcSchema = z.object({
  hub: z.object({ id: z.string(), oidc: oidcBlockSchema.optional() }),
  organisations: z.array(z.object({ id: z.string(), oidc: oidcBlockSchema.optional() })),
});

/** The environment variable of an organisation's client secret: `HUB_OIDC_KZ_MES_CLIENT_SECRET`. */
export function clientSecretVariable(orgId: string): string {
  return `HUB_OIDC_${secretKeyOf(orgId)}_CLIENT_SECRET`;
}

/** The ORG part of {@link clientSecretVariable}. */
function secretKeyOf(orgId: string): string {
  return orgId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Checks the blocks and builds the providers; every problem is listed in one CONFIG_INVALID. */
export function parseOidcProviders(
  blocks: readonly { readonly orgId: string; readonly block: OidcBlock }[],
  secrets: Readonly<Record<string, string>>,
  source: string,
): OidcProvider[] {
  const problems: string[] = [];
  const providers: OidcProvider[] = [];
  const issuers = new Map<string, string>();
  for (const { orgId, block } of blocks) {
    const variable = clientSecretVariable(orgId);
    const secretText = secrets[secretKeyOf(orgId)] ?? block.clientSecret;
    const authMethod =
      block.tokenEndpointAuthMethod ??
      (secretText === undefined ? TokenAuthMethod.none : TokenAuthMethod.basic);
    if (authMethod !== TokenAuthMethod.none && secretText === undefined)
      problems.push(`${orgId}.oidc: ${authMethod} needs a client secret (set ${variable})`);
    // One provider per organisation, and one organisation per provider: a person's identity
    // (issuer, subject) then names one organisation, whichever button they pressed.
    const issuer = block.issuer;
    const earlier = issuers.get(issuer);
    if (earlier !== undefined)
      problems.push(
        `${orgId}.oidc.issuer: ${issuer} is also the identity provider of ${earlier}; a provider serves one organisation`,
      );
    issuers.set(issuer, orgId);
    const scopes = block.scopes.includes('openid') ? block.scopes : ['openid', ...block.scopes];
    providers.push({
      orgId,
      issuer,
      clientId: block.clientId,
      clientSecret:
        authMethod === TokenAuthMethod.none || secretText === undefined
          ? null
          : new Secret(secretText),
      authMethod,
      scope: [...new Set(scopes)].join(' '),
      roleClaim: block.roleClaim,
      roles: Object.fromEntries(Object.entries(block.roles)),
      defaultRole: block.defaultRole ?? null,
      insecure: new URL(issuer).protocol === 'http:',
    });
  }
  if (problems.length > 0)
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: the OIDC settings of ${source} are invalid: ${problems.join('; ')}`,
      { details: { problems } },
    );
  return providers;
}

const builtIn = new URL('../region/central-asia.json', import.meta.url);

/**
 * The identity providers of the region file (`HUB_REGION`, or the built-in region, which has
 * none), with the client secrets of the environment.
 */
export function loadOidcProviders(
  config: Pick<Config, 'regionFile' | 'oidcClientSecrets'>,
  region: Region,
): OidcProvider[] {
  const file = config.regionFile ?? builtIn;
  const source = config.regionFile ?? 'the built-in region';
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new HubError('CONFIG_INVALID', `HUB_REGION: cannot read ${source}`, { cause });
  }
  const parsed = regionOidcSchema.safeParse(json);
  if (!parsed.success) {
    // `organisations.3.oidc.roles` is named `tj-coes.oidc.roles`, as the operator knows it.
    const orgs = (json as { organisations?: { id?: unknown }[] }).organisations;
    const problems = parsed.error.issues.map((i) => {
      const [first, index, ...rest] = i.path;
      const id = typeof index === 'number' ? orgs?.[index]?.id : undefined;
      const path = first === 'organisations' && typeof id === 'string' ? [id, ...rest] : i.path;
      return `${path.map(String).join('.')}: ${i.message}`;
    });
    throw new HubError(
      'CONFIG_INVALID',
      `HUB_REGION: the OIDC settings of ${source} are invalid: ${problems.join('; ')}`,
      { details: { problems } },
    );
  }
  const known = new Set(region.organisations.map((o) => o.id));
  const blocks = [parsed.data.hub, ...parsed.data.organisations].flatMap((o) =>
    o.oidc === undefined || !known.has(o.id) ? [] : [{ orgId: o.id, block: o.oidc }],
  );
  return parseOidcProviders(blocks, config.oidcClientSecrets ?? {}, source);
}

/** Hub roles from the least to the most a person may do. */
const roleRank: readonly UserRole[] = [
  UserRole.viewer,
  UserRole.officer,
  UserRole.issuer,
  UserRole.admin,
];

/**
 * The value of `claim` in `claims`: the claim of that exact name (namespaced claims are often
 * URLs with dots), else the dotted path (`realm_access.roles`).
 */
function claimValue(claims: Readonly<Record<string, unknown>>, claim: string): unknown {
  if (Object.hasOwn(claims, claim)) return claims[claim];
  let value: unknown = claims;
  for (const part of claim.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The hub role of a person from their claims: the highest role any of their provider roles maps
 * to, else the provider's default role, else null (refused).
 */
export function roleOfClaims(
  provider: Pick<OidcProvider, 'roleClaim' | 'roles' | 'defaultRole'>,
  claims: Readonly<Record<string, unknown>>,
): UserRole | null {
  const value = claimValue(claims, provider.roleClaim);
  const values = (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string',
  );
  let best = -1;
  for (const v of values) {
    // hasOwn: a provider role named "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(provider.roles, v)) continue;
    const role = provider.roles[v];
    if (role !== undefined) best = Math.max(best, roleRank.indexOf(role));
  }
  return roleRank[best] ?? provider.defaultRole;
}

/** Whether a provider role claim is present at all (else the hub asks the UserInfo endpoint). */
export function hasRoleClaim(
  provider: Pick<OidcProvider, 'roleClaim'>,
  claims: Readonly<Record<string, unknown>>,
): boolean {
  return claimValue(claims, provider.roleClaim) !== undefined;
}
