import path from 'node:path';
import { expect } from 'chai';
import { HubError } from '../../protocols/errors.ts';
import { configTable, describeConfig, loadConfig } from '../../server/config.ts';

/** Runs `loadConfig(env)` expecting CONFIG_INVALID and returns the error. */
function configError(env: NodeJS.ProcessEnv): HubError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof HubError) return err;
    throw err;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('server/config', () => {
  describe('loadConfig', () => {
    it('serves on 127.0.0.1:8080 with SQLite in ./data and info logs when nothing is set', () => {
      expect(loadConfig({})).to.deep.equal({
        port: 8080,
        host: '127.0.0.1',
        dataDir: path.resolve('data'),
        logLevel: 'info',
        maxXmlBytes: 5 * 1024 * 1024,
        sessionTtlMs: 12 * 3_600_000,
        heartbeatMs: 15_000,
        escalationWindowsMs: { Extreme: 5 * 60_000, Severe: 15 * 60_000 },
        feedAllow: [],
        feedTimeoutMs: 60_000,
        regionFeeds: false,
        wis2Topic: 'origin/a/wis2/+/data/core/weather/advisories-warnings/#',
        wis2Centres: {},
        corsOrigins: [],
        trustProxy: false,
        rateLimits: { key: 60000, address: 600, loginName: 10, loginAddress: 30 },
        loginLockout: { failures: 5, ms: 15 * 60_000 },
        auditRetentionDays: 365,
        mapTiles: null,
        store: 'sqlite',
      });
    });

    it('reads every variable', () => {
      const config = loadConfig({
        HUB_PORT: '9090',
        HUB_HOST: '0.0.0.0',
        HUB_DATA_DIR: '/var/lib/ewx',
        MONGODB_URI: 'mongodb://db1:27017,db2:27017/ewx?replicaSet=rs0',
        REDIS_URL: 'redis://127.0.0.1:6379',
        MQTT_URL: 'mqtts://broker.example.org:8883',
        HUB_REGION: 'regions/caucasus.json',
        LOG_LEVEL: 'debug',
        HUB_MAX_XML_BYTES: '1048576',
        HUB_SESSION_HOURS: '8',
        HUB_HEARTBEAT_SECONDS: '0.5',
        HUB_ESCALATION: 'extreme=2.5, Severe=10 ,Moderate=60',
        HUB_FEED_ALLOW: '127.0.0.1, 10.20.0.0/16,Feeds.LAN',
        HUB_FEED_TIMEOUT_SECONDS: '5',
        HUB_REGION_FEEDS: 'ON',
        HUB_WIS2_URL: 'mqtts://everyone:everyone@globalbroker.meteo.fr:8883',
        HUB_WIS2_TOPIC: 'cache/a/wis2/+/data/core/weather/advisories-warnings/#',
        HUB_WIS2_CENTRES: 'kz-kazhydromet=kz-mes, *=HUB',
        HUB_CORS_ORIGINS: 'https://ops.example.org, http://localhost:5173/',
        HUB_TRUST_PROXY: 'loopback, 10.0.0.0/8',
        HUB_RATE_LIMIT_KEY: '0',
        HUB_RATE_LIMIT_ADDRESS: '120',
        HUB_LOGIN_LIMIT_NAME: '3',
        HUB_LOGIN_LIMIT_ADDRESS: '9',
        HUB_LOGIN_LOCKOUT: '3/60',
        HUB_AUDIT_RETENTION_DAYS: '30',
        HUB_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
        HUB_TILE_ATTRIBUTION: '© Example',
      });
      expect(config).to.deep.equal({
        port: 9090,
        host: '0.0.0.0',
        dataDir: '/var/lib/ewx',
        mongodbUri: 'mongodb://db1:27017,db2:27017/ewx?replicaSet=rs0',
        redisUrl: 'redis://127.0.0.1:6379',
        mqttUrl: 'mqtts://broker.example.org:8883',
        regionFile: path.resolve('regions/caucasus.json'),
        logLevel: 'debug',
        maxXmlBytes: 1048576,
        sessionTtlMs: 8 * 3_600_000,
        heartbeatMs: 500,
        escalationWindowsMs: { Extreme: 150_000, Severe: 600_000, Moderate: 3_600_000 },
        feedAllow: ['feeds.lan', '127.0.0.1/32', '10.20.0.0/16'],
        feedTimeoutMs: 5000,
        regionFeeds: true,
        wis2Url: 'mqtts://everyone:everyone@globalbroker.meteo.fr:8883',
        wis2Topic: 'cache/a/wis2/+/data/core/weather/advisories-warnings/#',
        wis2Centres: { 'kz-kazhydromet': 'kz-mes', '*': 'hub' },
        corsOrigins: ['https://ops.example.org', 'http://localhost:5173'],
        trustProxy: ['loopback', '10.0.0.0/8'],
        rateLimits: { key: 0, address: 120, loginName: 3, loginAddress: 9 },
        loginLockout: { failures: 3, ms: 60 * 60_000 },
        auditRetentionDays: 30,
        mapTiles: { url: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', attribution: '© Example' },
        store: 'mongodb',
      });
    });

    it('resolves a relative HUB_DATA_DIR to an absolute path', () => {
      expect(loadConfig({ HUB_DATA_DIR: 'var/ewx' }).dataDir).to.equal(path.resolve('var/ewx'));
    });

    it('reads HUB_PUBLIC_URL without a trailing slash, and OIDC client secrets per organisation', () => {
      const config = loadConfig({
        HUB_PUBLIC_URL: 'https://ewx.example.org/hub/',
        HUB_OIDC_KZ_MES_CLIENT_SECRET: ' s3cret ',
        HUB_OIDC_KG_MES_CLIENT_SECRET: '',
      });
      expect(config.publicUrl).to.equal('https://ewx.example.org/hub');
      expect(config.oidcClientSecrets).to.deep.equal({ KZ_MES: 's3cret' });
      expect(loadConfig({})).not.to.have.property('oidcClientSecrets');
      expect(() => loadConfig({ HUB_PUBLIC_URL: 'ewx.example.org' })).to.throw(/HUB_PUBLIC_URL/);
      expect(() => loadConfig({ HUB_PUBLIC_URL: 'https://ewx.example.org/?a=1' })).to.throw(
        /no query or fragment/,
      );
    });

    it('refuses a HUB_TILE_URL that is not an http(s) tile template with {s} first', () => {
      for (const url of [
        'ftp://tiles.example.org/{z}/{x}/{y}.png',
        'https://tiles.example.org/{z}/{x}.png',
        'https://a.{s}.example.org/{z}/{x}/{y}.png',
      ])
        expect(configError({ HUB_TILE_URL: url }).message, url).to.contain('HUB_TILE_URL');
      expect(loadConfig({ HUB_TILE_ATTRIBUTION: '© Example' }).mapTiles).to.equal(null);
    });

    it('accepts HUB_PORT=0 so the OS picks a free port', () => {
      expect(loadConfig({ HUB_PORT: '0' }).port).to.equal(0);
    });

    it('treats an empty variable as unset', () => {
      expect(loadConfig({ HUB_PORT: '', MONGODB_URI: ' ', LOG_LEVEL: '' })).to.include({
        port: 8080,
        store: 'sqlite',
        logLevel: 'info',
      });
    });

    it('accepts mongodb+srv://, rediss:// and every MQTT scheme', () => {
      expect(
        loadConfig({ MONGODB_URI: 'mongodb+srv://u:p@cluster0.example.net/ewx' }).store,
      ).to.equal('mongodb');
      expect(loadConfig({ REDIS_URL: 'rediss://cache.example.org:6380' }).redisUrl).to.equal(
        'rediss://cache.example.org:6380',
      );
      for (const url of ['mqtt://a', 'mqtts://a', 'ws://a/mqtt', 'wss://a/mqtt']) {
        expect(loadConfig({ MQTT_URL: url }).mqttUrl).to.equal(url);
      }
    });

    it('uses MongoDB as the store only when MONGODB_URI is set', () => {
      expect(loadConfig({}).store).to.equal('sqlite');
      expect(loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017/ewx' }).store).to.equal(
        'mongodb',
      );
    });

    for (const port of ['notaport', '65536', '-1', '80.5', '1e3', '80abc']) {
      it(`refuses HUB_PORT=${port} with CONFIG_INVALID naming HUB_PORT`, () => {
        const err = configError({ HUB_PORT: port });
        expect(err.code).to.equal('CONFIG_INVALID');
        expect(err.message).to.contain('HUB_PORT').and.contain('0 to 65535');
        expect(err.details).to.deep.equal({
          issues: [
            {
              variable: 'HUB_PORT',
              problem: `must be an integer from 0 to 65535 (got ${JSON.stringify(port)})`,
            },
          ],
        });
      });
    }

    it('refuses an unknown LOG_LEVEL, listing the accepted ones', () => {
      const err = configError({ LOG_LEVEL: 'verbose' });
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.contain('LOG_LEVEL').and.contain('fatal, error, warn, info');
    });

    it('refuses a MONGODB_URI that is not mongodb:// without echoing it', () => {
      const err = configError({ MONGODB_URI: 'postgres://admin:s3cret@db/ewx' });
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.contain('MONGODB_URI').and.contain('mongodb://');
      expect(err.message).not.to.contain('s3cret');
    });

    it('refuses REDIS_URL and MQTT_URL with the wrong scheme', () => {
      expect(configError({ REDIS_URL: 'http://127.0.0.1:6379' }).message).to.contain('REDIS_URL');
      expect(configError({ MQTT_URL: 'tcp://127.0.0.1:1883' }).message).to.contain('MQTT_URL');
    });

    it('refuses a HUB_MAX_XML_BYTES that is not a positive integer', () => {
      for (const bytes of ['0', '-5', '5MB']) {
        expect(configError({ HUB_MAX_XML_BYTES: bytes }).message).to.contain('HUB_MAX_XML_BYTES');
      }
    });

    it('turns escalation off with HUB_ESCALATION=none', () => {
      expect(loadConfig({ HUB_ESCALATION: 'none' }).escalationWindowsMs).to.deep.equal({});
    });

    it('refuses an HUB_ESCALATION with an unknown severity, a bad number or a repeat', () => {
      for (const text of [
        'Extreme',
        'Extreme=5,Bad=1',
        'Extreme=-1',
        'Extreme=0',
        'Severe=5,severe=6',
      ])
        expect(configError({ HUB_ESCALATION: text }).message, text).to.contain(
          'HUB_ESCALATION must be "none" or a list such as Extreme=5,Severe=15',
        );
    });

    it('refuses a HUB_SESSION_HOURS or HUB_HEARTBEAT_SECONDS that is not a positive number', () => {
      expect(configError({ HUB_SESSION_HOURS: '0' }).message).to.contain('HUB_SESSION_HOURS');
      expect(configError({ HUB_HEARTBEAT_SECONDS: 'soon' }).message).to.contain(
        'HUB_HEARTBEAT_SECONDS',
      );
    });

    it('refuses a HUB_FEED_ALLOW entry that is neither a host, an address nor a CIDR', () => {
      const err = configError({ HUB_FEED_ALLOW: '127.0.0.1,10.0.0.0/33,not a host' });
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message)
        .to.contain('HUB_FEED_ALLOW')
        .and.contain('10.0.0.0/33')
        .and.contain('not a host');
    });

    it('turns the WIS2 subscription off with HUB_WIS2_TOPIC=none', () => {
      expect(loadConfig({ HUB_WIS2_TOPIC: 'none' }).wis2Topic).to.equal(null);
    });

    it('refuses a HUB_WIS2_TOPIC that is not a topic filter, and a malformed HUB_WIS2_CENTRES', () => {
      for (const topic of ['origin/#/wis2', 'origin//a', 'origin/a+/wis2'])
        expect(configError({ HUB_WIS2_TOPIC: topic }).message, topic).to.contain(
          'HUB_WIS2_TOPIC must be an MQTT topic filter',
        );
      expect(configError({ HUB_WIS2_CENTRES: 'kz-kazhydromet' }).message).to.contain(
        'HUB_WIS2_CENTRES must be a list such as kz-kazhydromet=kz-mes',
      );
    });

    it('refuses a HUB_REGION_FEEDS other than on or off', () => {
      expect(configError({ HUB_REGION_FEEDS: 'yes' }).message).to.contain(
        'HUB_REGION_FEEDS must be on or off',
      );
    });

    it('reads the hub signing key and certificate as absolute paths', () => {
      const config = loadConfig({ HUB_SIGNING_KEY: 'keys/hub.key', HUB_SIGNING_CERT: 'hub.pem' });
      expect(config.signingKeyFile).to.equal(path.resolve('keys/hub.key'));
      expect(config.signingCertFile).to.equal(path.resolve('hub.pem'));
      expect(loadConfig({})).not.to.have.property('signingKeyFile');
    });

    it('reads HUB_TRUST_PROXY as off, a hop count or proxy addresses, never "trust everyone"', () => {
      expect(loadConfig({ HUB_TRUST_PROXY: 'OFF' }).trustProxy).to.equal(false);
      expect(loadConfig({ HUB_TRUST_PROXY: '2' }).trustProxy).to.equal(2);
      expect(loadConfig({ HUB_TRUST_PROXY: '::1,fd00::/8' }).trustProxy).to.deep.equal([
        '::1',
        'fd00::/8',
      ]);
      expect(configError({ HUB_TRUST_PROXY: 'true' }).message).to.contain(
        'HUB_TRUST_PROXY must name the proxies',
      );
      expect(configError({ HUB_TRUST_PROXY: '10.0.0.0/99' }).message).to.contain('10.0.0.0/99');
    });

    it('refuses CORS origins with a path, a wildcard or another scheme', () => {
      for (const bad of ['*', 'https://ops.example.org/console', 'ftp://x.org', 'ops.example.org'])
        expect(configError({ HUB_CORS_ORIGINS: bad }).message, bad).to.contain(
          'HUB_CORS_ORIGINS must be a comma-separated list of origins',
        );
    });

    it('reads HUB_LOGIN_LOCKOUT as FAILURES/MINUTES or off, and refuses anything else', () => {
      expect(loadConfig({ HUB_LOGIN_LOCKOUT: 'off' }).loginLockout).to.equal(null);
      expect(loadConfig({ HUB_LOGIN_LOCKOUT: '10 / 0.5' }).loginLockout).to.deep.equal({
        failures: 10,
        ms: 30_000,
      });
      for (const bad of ['5', '0/15', '5/0', 'five/15'])
        expect(configError({ HUB_LOGIN_LOCKOUT: bad }).message, bad).to.contain(
          'HUB_LOGIN_LOCKOUT must be "off" or FAILURES/MINUTES',
        );
      expect(configError({ HUB_RATE_LIMIT_KEY: '-1' }).message).to.contain('HUB_RATE_LIMIT_KEY');
    });

    it('names every invalid variable at once', () => {
      const err = configError({ HUB_PORT: 'x', LOG_LEVEL: 'loud', HUB_HOST: 'two words' });
      expect(err.details).to.have.nested.property('issues').with.lengthOf(3);
      expect(err.message).to.contain('HUB_PORT').and.contain('LOG_LEVEL').and.contain('HUB_HOST');
    });
  });

  describe('configTable and describeConfig', () => {
    it('documents every variable of DESIGN.md', () => {
      expect(configTable.map((v) => v.name)).to.have.members([
        'HUB_PORT',
        'HUB_HOST',
        'HUB_DATA_DIR',
        'MONGODB_URI',
        'REDIS_URL',
        'MQTT_URL',
        'HUB_REGION',
        'LOG_LEVEL',
        'HUB_MAX_XML_BYTES',
        'HUB_SESSION_HOURS',
        'HUB_HEARTBEAT_SECONDS',
        'HUB_ESCALATION',
        'HUB_FEED_ALLOW',
        'HUB_FEED_TIMEOUT_SECONDS',
        'HUB_REGION_FEEDS',
        'HUB_WIS2_URL',
        'HUB_WIS2_TOPIC',
        'HUB_WIS2_CENTRES',
        'HUB_SIGNING_KEY',
        'HUB_SIGNING_CERT',
        'HUB_PUBLIC_URL',
        'HUB_TILE_URL',
        'HUB_TILE_ATTRIBUTION',
        'HUB_CORS_ORIGINS',
        'HUB_TRUST_PROXY',
        'HUB_RATE_LIMIT_KEY',
        'HUB_RATE_LIMIT_ADDRESS',
        'HUB_LOGIN_LIMIT_NAME',
        'HUB_LOGIN_LIMIT_ADDRESS',
        'HUB_LOGIN_LOCKOUT',
        'HUB_AUDIT_RETENTION_DAYS',
      ]);
    });

    it('documents the defaults loadConfig applies', () => {
      const defaults = Object.fromEntries(configTable.map((v) => [v.name, v.default]));
      expect(defaults).to.include({
        HUB_PORT: '8080',
        HUB_HOST: '127.0.0.1',
        HUB_DATA_DIR: './data',
        LOG_LEVEL: 'info',
        HUB_MAX_XML_BYTES: '5242880',
      });
    });

    it('renders a markdown table with one row per variable', () => {
      const lines = describeConfig().split('\n');
      expect(lines[0]).to.equal('| Variable | Default | Description |');
      expect(lines).to.have.lengthOf(configTable.length + 2);
      expect(lines[2]).to.match(/^\| `HUB_PORT` \| `8080` \| .+ \|$/);
      expect(describeConfig()).to.contain('| `MONGODB_URI` | (unset) |');
    });
  });
});
