/**
 * Attachments as files under `HUB_DATA_DIR/attachments/`, named by their SHA-256
 * (`ab/abcdef…`, two hex digits of fan-out so no directory grows huge). A file is written to a
 * temporary name, synced, then renamed and its directory synced, so a stored attachment is on
 * disk before any 2xx and a crash never leaves a half-written file under a content address.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttachmentBlobs } from './blob-store.ts';
import { isAttachmentHash } from './check-attachment.ts';

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Attachment files under `dir` (usually `HUB_DATA_DIR/attachments`). */
export function createFileBlobs(dir: string): AttachmentBlobs {
  const pathOf = (hash: string): { folder: string; file: string } => {
    // The hash names a path: only a hash as attachmentHash writes it may reach here.
    if (!isAttachmentHash(hash)) throw new Error(`not an attachment hash: ${hash}`);
    const folder = join(dir, hash.slice(0, 2));
    return { folder, file: join(folder, hash) };
  };
  return {
    async put(hash, bytes) {
      const { folder, file } = pathOf(hash);
      if (await exists(file)) return;
      await mkdir(folder, { recursive: true });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, file);
      await syncDirectory(folder);
    },

    async open(hash) {
      if (!isAttachmentHash(hash)) return undefined;
      const { file } = pathOf(hash);
      if (!(await exists(file))) return undefined;
      return createReadStream(file);
    },
  };
}
