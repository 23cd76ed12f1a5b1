/**
 * What an attachment is, from its first bytes ("magic numbers"), and whether that agrees with
 * the media type its sender declared (issue 6: "photos, drone imagery, PDF; type and size
 * checked"). Only these types are kept: a file is never stored on the word of its
 * Content-Type alone, so a script cannot be served back to a partner as an "image".
 */

/** The media types an attachment may have. */
export const AttachmentType = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  /** Drone imagery and orthophotos (GeoTIFF is TIFF). */
  tiff: 'image/tiff',
  pdf: 'application/pdf',
} as const;
/** One of {@link AttachmentType}. */
export type AttachmentType = (typeof AttachmentType)[keyof typeof AttachmentType];

/** Every {@link AttachmentType}. */
export const attachmentTypes: readonly AttachmentType[] = Object.values(AttachmentType);

/** Other spellings seen in the wild, and what they mean. */
const aliases: Readonly<Record<string, AttachmentType>> = {
  'image/jpg': AttachmentType.jpeg,
  'image/pjpeg': AttachmentType.jpeg,
  'image/tif': AttachmentType.tiff,
  'image/x-tiff': AttachmentType.tiff,
  'application/x-pdf': AttachmentType.pdf,
};

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((b, k) => bytes[at + k] === b);
}

const ascii = (text: string): number[] => Array.from(Buffer.from(text, 'latin1'));

/**
 * The type of the bytes by their signature, or undefined when they are none of
 * {@link attachmentTypes}:
 * - JPEG: `FF D8 FF` (JFIF/Exif SOI marker, ITU T.81 B.1.1.2);
 * - PNG: `89 50 4E 47 0D 0A 1A 0A` (PNG §5.2);
 * - WebP: `RIFF` size `WEBP` (RFC 9649 §2);
 * - TIFF: `II*\0` or `MM\0*`, and BigTIFF `II+\0` / `MM\0+` (TIFF 6.0 §2);
 * - PDF: `%PDF-` (ISO 32000-1 §7.5.2).
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return AttachmentType.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return AttachmentType.png;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8))
    return AttachmentType.webp;
  if (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])
  )
    return AttachmentType.tiff;
  if (startsWith(bytes, ascii('%PDF-'))) return AttachmentType.pdf;
  return undefined;
}

/**
 * The declared media type (a Content-Type header value) as one of {@link attachmentTypes}:
 * parameters dropped, case folded, aliases mapped; undefined when it is none of them.
 */
export function declaredAttachmentType(
  contentType: string | undefined,
): AttachmentType | undefined {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if ((attachmentTypes as readonly string[]).includes(essence)) return essence as AttachmentType;
  return aliases[essence];
}
