/**
 * Attachments in a MongoDB GridFS bucket (`incidentAttachments`), one file per content hash
 * (the GridFS file name), so every hub node serves what any node stored.
 */
import { GridFSBucket, type Db } from 'mongodb';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { AttachmentBlobs } from './blob-store.ts';
import { isAttachmentHash } from './check-attachment.ts';

/** The GridFS bucket of attachments. */
export const ATTACHMENT_BUCKET = 'incidentAttachments';

/** Attachments in the GridFS bucket of `db`. */
export function createGridFsBlobs(db: Db): AttachmentBlobs {
  const bucket = new GridFSBucket(db, {
    bucketName: ATTACHMENT_BUCKET,
    writeConcern: { w: 'majority', journal: true },
  });
  const stored = async (hash: string): Promise<boolean> =>
    (await bucket.find({ filename: hash }).limit(1).toArray()).length > 0;
  return {
    async put(hash, bytes, contentType) {
      if (!isAttachmentHash(hash)) throw new Error(`not an attachment hash: ${hash}`);
      if (await stored(hash)) return;
      // Two nodes storing the same bytes at once leave two identical files; either serves.
      await pipeline(
        Readable.from([Buffer.from(bytes)]),
        bucket.openUploadStream(hash, { metadata: { contentType } }),
      );
    },

    async open(hash) {
      if (!isAttachmentHash(hash) || !(await stored(hash))) return undefined;
      return bucket.openDownloadStreamByName(hash);
    },
  };
}
