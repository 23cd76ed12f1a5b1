/**
 * WIS2 Notification Messages (WMO WIS2 Notification Message 1.0, a GeoJSON Feature): which CAP
 * a message announces — its `links` (`rel` `canonical`, or `update` for a newer version;
 * `deletion` withdraws data and announces nothing to fetch) or the bytes embedded in
 * `properties.content` (`utf-8`, `base64`, or `gzip` = base64 of gzip) — with the
 * `properties.integrity` checksum to verify them, and the centre that published it, read from
 * the WIS2 topic hierarchy (`origin|cache/a/wis2/<centre-id>/data/<policy>/…`).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const link = z
  .object({
    href: z.url({ protocol: /^https?$/ }),
    rel: z.string().min(1),
    type: z.string().optional(),
    length: z.number().optional(),
  })
  .loose();

const notificationSchema = z
  .object({
    id: z.string().min(1),
    type: z.literal('Feature'),
    properties: z
      .object({
        data_id: z.string().optional(),
        pubtime: z.string().optional(),
        integrity: z.object({ method: z.string(), value: z.string() }).loose().optional(),
        content: z
          .object({
            encoding: z.enum(['utf-8', 'base64', 'gzip']),
            value: z.string(),
            size: z.number().optional(),
          })
          .loose()
          .optional(),
      })
      .loose(),
    links: z.array(link).min(1),
  })
  .loose();

/** A WIS2 notification, as far as the hub reads it. */
export type Wis2Notification = z.output<typeof notificationSchema>;
/** One of its links. */
export type Wis2Link = z.output<typeof link>;

/** Reads a notification; `problem` says what is wrong when it is not one. */
export function readWis2Notification(
  json: unknown,
): { ok: true; notification: Wis2Notification } | { ok: false; problem: string } {
  const parsed = notificationSchema.safeParse(json);
  if (parsed.success) return { ok: true, notification: parsed.data };
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
  return { ok: false, problem: `not a WIS2 notification message: ${problems.join('; ')}` };
}

const CAP_TYPES = new Set(['application/cap+xml', 'application/xml', 'text/xml']);

/**
 * The link to fetch the CAP from: a `canonical` or `update` link, CAP-typed ones first; none
 * when the message is a deletion or links nothing fetchable.
 */
export function capLinkOf(notification: Wis2Notification): Wis2Link | undefined {
  const candidates = notification.links.filter((l) => l.rel === 'canonical' || l.rel === 'update');
  const typed = (l: Wis2Link): boolean =>
    CAP_TYPES.has((l.type ?? '').split(';')[0]?.trim().toLowerCase() ?? '');
  return candidates.find(typed) ?? candidates[0];
}

/** The centre-id level of a WIS2 topic, if the topic is one. */
export function centreIdOfTopic(topic: string): string | undefined {
  const parts = topic.split('/');
  if (parts.length < 5 || parts[2] !== 'wis2' || (parts[0] !== 'origin' && parts[0] !== 'cache'))
    return undefined;
  return parts[3] === '' ? undefined : parts[3];
}

/** The bytes embedded in `properties.content`, when there are any and they decode. */
export function embeddedContent(notification: Wis2Notification): Buffer | undefined {
  const content = notification.properties.content;
  if (content === undefined) return undefined;
  try {
    if (content.encoding === 'utf-8') return Buffer.from(content.value, 'utf8');
    const raw = Buffer.from(content.value, 'base64');
    return content.encoding === 'gzip' ? gunzipSync(raw) : raw;
  } catch {
    return undefined;
  }
}

// WIS2 Notification Message: integrity.method is one of these (hash of the data, base64).
const HASHES: Readonly<Record<string, string>> = {
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};

/**
 * Checks bytes against the notification's checksum: `true` when they match or the message
 * gives none, `false` on a mismatch, `undefined` for a method the hub does not know.
 */
export function integrityMatches(
  notification: Wis2Notification,
  bytes: Uint8Array,
): boolean | undefined {
  const integrity = notification.properties.integrity;
  if (integrity === undefined) return true;
  const algorithm = HASHES[integrity.method.toLowerCase()];
  if (algorithm === undefined) return undefined;
  return createHash(algorithm).update(bytes).digest('base64') === integrity.value;
}
