/** How the fuzz campaign sends an input to the hub. */
import http from 'node:http';
import type { FuzzHub } from './fuzz-hub.ts';
import type { FuzzInput } from './inputs.ts';

/**
 * Sends one input with node:http, which (unlike fetch) hands over an answer the hub sends
 * before it has read the whole body (a 413), even when the hub then closes the connection. A
 * connection per input: a kept-alive one the hub closed after such an answer would fail the
 * next request on the client's side ("socket hang up"), which is no answer of the hub's.
 */
export function send(
  hub: FuzzHub,
  input: FuzzInput,
): Promise<{ status: number; text: string; ms: number }> {
  const headers: Record<string, string | number> = { 'content-length': input.body.length };
  if (input.target !== 'session') headers.authorization = `Bearer ${hub.key}`;
  if (input.contentType !== null) headers['content-type'] = input.contentType;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      `${hub.url}${input.path}`,
      { method: input.method, headers, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      // Writing the rest of a refused body fails once the hub has answered and closed: fine.
      if (!answered) reject(error);
    });
    req.end(input.body);
  });
}
