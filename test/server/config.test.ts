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
        store: 'mongodb',
      });
    });

    it('resolves a relative HUB_DATA_DIR to an absolute path', () => {
      expect(loadConfig({ HUB_DATA_DIR: 'var/ewx' }).dataDir).to.equal(path.resolve('var/ewx'));
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
      for (const text of ['Extreme', 'Extreme=5,Bad=1', 'Extreme=-1', 'Extreme=0', 'Severe=5,severe=6'])
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
