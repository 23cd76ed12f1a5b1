/**
 * Where the bytes of attachments are kept, by content hash (SHA-256): files under the data
 * directory for the SQLite store (`./file-blobs.ts`), a GridFS bucket for MongoDB
 * (`./gridfs-blobs.ts`). The same bytes attached twice are kept once.
 */
import type { Readable } from 'node:stream';

/** The bytes of attachments, by content hash. */
export interface AttachmentBlobs {
  /** Stores the bytes under `hash` (nothing when already kept); durable when it resolves. */
  put(hash: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes of `hash` as a stream, or undefined when none are kept. */
  open(hash: string): Promise<Readable | undefined>;
}
