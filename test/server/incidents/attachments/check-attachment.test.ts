/**
 * Attachment checks: the type comes from the bytes and must agree with the declared one, only
 * photos, drone imagery (TIFF) and PDF are kept, and files are kept once by content hash.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHubError } from '../../../../protocols/errors.ts';
import {
  attachmentHash,
  checkAttachment,
} from '../../../../server/incidents/attachments/check-attachment.ts';
import { createFileBlobs } from '../../../../server/incidents/attachments/file-blobs.ts';
import {
  declaredAttachmentType,
  sniffAttachmentType,
} from '../../../../server/incidents/attachments/sniff.ts';
import { files } from '../helpers.ts';

describe('incident attachments', () => {
  describe('sniffAttachmentType', () => {
    const cases: [string, Buffer, string | undefined][] = [
      ['JPEG', files.jpeg, 'image/jpeg'],
      ['PNG', files.png, 'image/png'],
      ['WebP', files.webp, 'image/webp'],
      ['TIFF (little-endian)', files.tiff, 'image/tiff'],
      ['TIFF (big-endian)', Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 1, 2]), 'image/tiff'],
      ['BigTIFF', Buffer.from([0x49, 0x49, 0x2b, 0x00, 8, 0]), 'image/tiff'],
      ['PDF', files.pdf, 'application/pdf'],
      ['HTML', files.html, undefined],
      ['a RIFF that is not WebP (WAVE)', Buffer.from('RIFF\x10\0\0\0WAVEfmt '), undefined],
      ['nothing', Buffer.alloc(0), undefined],
    ];
    for (const [name, bytes, type] of cases) {
      it(`reads ${name} as ${type ?? 'none of the kept types'}`, () => {
        expect(sniffAttachmentType(bytes)).to.equal(type);
      });
    }
  });

  it('reads a declared type without its parameters, case or common aliases', () => {
    expect(declaredAttachmentType('IMAGE/JPEG; q=1')).to.equal('image/jpeg');
    expect(declaredAttachmentType('image/jpg')).to.equal('image/jpeg');
    expect(declaredAttachmentType('image/tif')).to.equal('image/tiff');
    expect(declaredAttachmentType('text/html')).to.equal(undefined);
    expect(declaredAttachmentType(undefined)).to.equal(undefined);
  });

  describe('checkAttachment', () => {
    it('answers the content hash, type and size of an accepted file', () => {
      expect(checkAttachment(files.pdf, 'application/pdf')).to.deep.equal({
        hash: attachmentHash(files.pdf),
        contentType: 'application/pdf',
        bytes: files.pdf.length,
      });
    });

    const refusals: [string, Buffer, string | undefined, number, string][] = [
      ['a file over the limit', files.pdf, 'application/pdf', 10, 'ATTACHMENT_TOO_LARGE'],
      ['no Content-Type', files.png, undefined, 1e6, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      ['an HTML page', files.html, 'text/html', 1e6, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      ['HTML declared as PNG', files.html, 'image/png', 1e6, 'ATTACHMENT_TYPE_MISMATCH'],
      ['a PDF declared as JPEG', files.pdf, 'image/jpeg', 1e6, 'ATTACHMENT_TYPE_MISMATCH'],
      ['an empty body', Buffer.alloc(0), 'image/png', 1e6, 'ATTACHMENT_TYPE_MISMATCH'],
    ];
    for (const [name, bytes, type, max, code] of refusals) {
      it(`refuses ${name} with ${code}`, () => {
        let thrown: unknown;
        try {
          checkAttachment(bytes, type, max);
        } catch (error) {
          thrown = error;
        }
        expect(isHubError(thrown, code as never), String(thrown)).to.be.true;
      });
    }
  });

  describe('file blobs', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ewx-blobs-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the same bytes once, under their hash, and reads them back', async () => {
      const blobs = createFileBlobs(dir);
      const hash = attachmentHash(files.png);
      await blobs.put(hash, files.png, 'image/png');
      await blobs.put(hash, files.png, 'image/png');
      expect(readdirSync(join(dir, hash.slice(0, 2)))).to.deep.equal([hash]);
      const stream = await blobs.open(hash);
      const chunks: Buffer[] = [];
      for await (const chunk of stream ?? []) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(files.png)).to.be.true;
    });

    it('answers nothing for an unknown hash or a path in its place', async () => {
      const blobs = createFileBlobs(dir);
      expect(await blobs.open(attachmentHash(files.pdf))).to.equal(undefined);
      expect(await blobs.open('../../etc/passwd')).to.equal(undefined);
    });
  });
});
