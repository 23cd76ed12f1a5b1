/**
 * Rate limits shared through Redis (rate-limit-redis): two hub nodes — here two apps with their
 * own limiters on one Redis — give a client one allowance, not one per node. Skipped without a
 * Redis at REDIS_URL (default redis://127.0.0.1:6379), except on CI.
 */
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { principalOf } from '../../../server/http/auth.ts';
import { createErrorHandler } from '../../../server/http/error-handler.ts';
import { createLogger } from '../../../server/log.ts';
import {
  connectRateLimitRedis,
  createRateLimiters,
  type RateLimitRedis,
} from '../../../server/security/rate-limits.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger({ logLevel: 'silent' });

function node(redis: RateLimitRedis, prefix: string): express.Express {
  const limits = createRateLimiters({
    limits: { key: 0, address: 3, loginName: 0, loginAddress: 0 },
    redis,
    prefix,
    log,
    principalOf,
  });
  const app = express();
  app.use(limits.address);
  app.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(createErrorHandler(log));
  return app;
}

describe('rate limits shared through Redis', function () {
  this.timeout(20_000);
  const redis: RateLimitRedis[] = [];
  before(async function () {
    try {
      redis.push(
        await connectRateLimitRedis(REDIS_URL, log),
        await connectRateLimitRedis(REDIS_URL, log),
      );
    } catch (error) {
      if (process.env.CI === 'true') throw error;
      this.skip();
    }
  });
  after(async () => {
    for (const client of redis) await client.quit().catch(() => undefined);
  });

  it('gives one address one allowance across two nodes', async () => {
    // A prefix of its own, so parallel runs on one Redis do not share counts.
    const prefix = `ewx:test-${process.pid}-${Date.now()}:rl:`;
    const [a, b] = [
      node(redis[0] as RateLimitRedis, prefix),
      node(redis[1] as RateLimitRedis, prefix),
    ];
    await request(a).get('/ping').expect(200);
    await request(b).get('/ping').expect(200);
    await request(a).get('/ping').expect(200);
    const limited = await request(b).get('/ping').expect(429);
    expect(limited.body.error.code).to.equal('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
  });
});
