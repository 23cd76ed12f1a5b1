/**
 * A real OpenID Provider for the OIDC log-in tests: oidc-provider (the certified OP) on a
 * loopback port, with its development log-in and consent pages, a confidential client for the
 * hub and accounts whose claims carry roles. And a browser in miniature: fetch with one cookie
 * jar for every 127.0.0.1 port (as browsers share cookies across ports), following redirects
 * by hand and filling in the provider's pages the way a person would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';

/** The claims of a test account (besides `sub`). */
export type AccountClaims = Readonly<Record<string, unknown>>;

/** A provider on a loopback port. */
export interface TestIdp {
  readonly issuer: string;
  /** Accounts by id (the `login` typed on the provider's page); tests may change them. */
  readonly accounts: Map<string, AccountClaims>;
  /** Starts answering, with the hub's client registered for these redirect URIs. */
  register(client: { clientId: string; clientSecret: string; redirectUris: string[] }): void;
  close(): Promise<void>;
}

/** Listens first (the issuer needs the port), answers once {@link TestIdp.register} ran. */
export async function startTestIdp(): Promise<TestIdp> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => {
    if (handler === null) {
      res.statusCode = 503;
      res.end();
    } else handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, AccountClaims>();
  return {
    issuer,
    accounts,
    register({ clientId, clientSecret, redirectUris }) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: redirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        // Scope `ewx` releases the role claim (through UserInfo: oidc-provider keeps ID tokens
        // to `sub` and the like in the code flow, as OIDC Core §5.4 allows).
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], ewx: ['ewx_roles'] },
        findAccount: (_ctx, id) => {
          const claims = accounts.get(id);
          if (claims === undefined) return undefined;
          return { accountId: id, claims: () => ({ sub: id, ...claims }) };
        },
        cookies: { keys: ['ewx-test-idp-cookie-key'] },
        features: { devInteractions: { enabled: true } },
      });
      // Its default logging of caught errors would only clutter the test output.
      provider.on('server_error', () => undefined);
      const callback = provider.callback();
      handler = (req, res) => {
        void callback(req, res);
      };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

interface Cookie {
  readonly value: string;
  readonly path: string;
}

/** A browser in miniature: a cookie jar over every 127.0.0.1 port, and manual redirects. */
export class TestBrowser {
  private readonly jar = new Map<string, Cookie>();

  /** The cookie `name`, if the jar has it. */
  cookie(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  forget(name: string): void {
    this.jar.delete(name);
  }

  /** One request (no redirect followed), as a browser navigating (Accept: text/html). */
  async request(
    url: string,
    init: { method?: string; body?: string; contentType?: string; accept?: string } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const cookies = [...this.jar.entries()]
      .filter(([, c]) => target.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const headers: Record<string, string> = {
      accept: init.accept ?? 'text/html,application/xhtml+xml,*/*;q=0.8',
    };
    if (cookies !== '') headers.cookie = cookies;
    if (init.contentType !== undefined) headers['content-type'] = init.contentType;
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const line of response.headers.getSetCookie()) this.keep(line);
    return response;
  }

  private keep(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    let path = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', v = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = v;
      if (key.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
    }
    if (expired) this.jar.delete(name);
    else this.jar.set(name, { value, path });
  }
}

/** What the provider's pages should do. */
export type IdpAnswer = 'accept' | 'deny';

/**
 * Logs in at the provider from `authorizeUrl` (the hub's redirect) as `account`: follows the
 * provider's redirects, fills in its log-in page and its consent page (or cancels there), and
 * stops at the first redirect back to the hub, whose URL it returns (not followed).
 */
export async function logInAtIdp(
  browser: TestBrowser,
  authorizeUrl: string,
  account: string,
  hubUrl: string,
  answer: IdpAnswer = 'accept',
): Promise<string> {
  let url = authorizeUrl;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(hubUrl)) return url;
    const response = await browser.request(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') ?? '', url).href;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200)
      throw new Error(`the provider answered ${response.status}: ${page}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const uid = /\/interaction\/([^/"]+)/.exec(url)?.[1];
    if (uid === undefined || prompt === undefined) throw new Error(`not a provider page: ${url}`);
    const interaction = new URL(`/interaction/${uid}`, url).href;
    if (answer === 'deny' && prompt === 'consent') {
      const aborted = await browser.request(`${interaction}/abort`);
      url = new URL(aborted.headers.get('location') ?? '', url).href;
      continue;
    }
    const form =
      prompt === 'login'
        ? new URLSearchParams({ prompt, login: account, password: 'any' })
        : new URLSearchParams({ prompt });
    const submitted = await browser.request(interaction, {
      method: 'POST',
      body: form.toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the provider never sent the browser back to the hub');
}
