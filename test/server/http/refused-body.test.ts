/**
 * A body refused before it is read (wrong content type, no key) still gets its answer: the hub
 * reads the rest of the body before closing the connection, so a client still sending is not
 * reset and does not lose the 4xx it was sent (a reset did that to 1–10 in 100 such requests).
 */
import { expect } from 'chai';
import { send } from '../../fuzz/client.ts';
import { startFuzzHub, type FuzzHub } from '../../fuzz/fuzz-hub.ts';
import type { FuzzInput } from '../../fuzz/inputs.ts';

describe('refused bodies get their answer', function () {
  this.timeout(120_000);
  let hub: FuzzHub;
  before(async () => {
    hub = await startFuzzHub();
  });
  after(async () => {
    await hub.stop();
  });

  const body = Buffer.alloc(3_000_000, '{"observations":[');
  /** Without lingering, a few in a few hundred were reset: enough tries to see it. */
  const TRIES = 300;

  async function answers(input: FuzzInput, times: number): Promise<Record<string, number>> {
    const seen: Record<string, number> = {};
    for (let i = 0; i < times; i++) {
      let key: string;
      try {
        const answer = await send(hub, input);
        const code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
        key = `${String(answer.status)} ${code ?? ''}`;
      } catch (error) {
        key = `no answer: ${String(error)}`;
      }
      seen[key] = (seen[key] ?? 0) + 1;
    }
    return seen;
  }

  it('answers 415 to every 3 MB observation batch without a content type', async () => {
    const input = {
      target: 'observations',
      method: 'POST',
      path: '/api/v1/observations',
      contentType: null,
      body,
    } as unknown as FuzzInput;
    expect(await answers(input, TRIES)).to.deep.equal({ '415 UNSUPPORTED_MEDIA_TYPE': TRIES });
  });

  it('answers 404 to every 3 MB body posted to no route', async () => {
    const input = {
      target: 'cap',
      method: 'POST',
      path: '/api/v1/nothing-here',
      contentType: 'application/json',
      body,
    } as unknown as FuzzInput;
    expect(await answers(input, TRIES)).to.deep.equal({ '404 NOT_FOUND': TRIES });
  });
});
