/**
 * The checks an attachment passes before anything is stored: a size within the limit, a
 * declared type the hub keeps, and bytes that are what the declaration says.
 */
import { createHash } from 'node:crypto';
import { HubError } from '../../../protocols/errors.ts';
import {
  attachmentTypes,
  declaredAttachmentType,
  sniffAttachmentType,
  type AttachmentType,
} from './sniff.ts';

/** Largest attachment by default: 20 MB, enough for a drone orthophoto tile or a scanned PDF. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** An attachment that passed the checks. */
export interface CheckedAttachment {
  readonly hash: string;
  readonly contentType: AttachmentType;
  readonly bytes: number;
}

/** SHA-256 of the bytes, hex: the content address of an attachment. */
export function attachmentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True for a content address as {@link attachmentHash} writes it. */
export function isAttachmentHash(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/**
 * Checks an attachment: `ATTACHMENT_TOO_LARGE` over `maxBytes`, `ATTACHMENT_TYPE_UNSUPPORTED`
 * when the declared Content-Type is not one the hub keeps, `ATTACHMENT_TYPE_MISMATCH` when the
 * bytes are not of the declared type (or empty).
 */
export function checkAttachment(
  body: Uint8Array,
  contentType: string | undefined,
  maxBytes: number = MAX_ATTACHMENT_BYTES,
): CheckedAttachment {
  if (body.length > maxBytes) {
    throw new HubError(
      'ATTACHMENT_TOO_LARGE',
      `the attachment has ${body.length} bytes; at most ${maxBytes}`,
      { details: { bytes: body.length, maxBytes } },
    );
  }
  const declared = declaredAttachmentType(contentType);
  if (declared === undefined) {
    throw new HubError(
      'ATTACHMENT_TYPE_UNSUPPORTED',
      `${contentType === undefined ? 'no Content-Type' : `Content-Type ${contentType}`}: attachments are ${attachmentTypes.join(', ')}`,
      { details: { accepted: attachmentTypes } },
    );
  }
  const sniffed = sniffAttachmentType(body);
  if (sniffed !== declared) {
    throw new HubError(
      'ATTACHMENT_TYPE_MISMATCH',
      body.length === 0
        ? 'the attachment is empty'
        : `declared ${declared}, but the bytes are ${sniffed ?? 'none of the accepted types'}`,
      { details: { declared, detected: sniffed ?? null } },
    );
  }
  return { hash: attachmentHash(body), contentType: declared, bytes: body.length };
}
