/**
 * `POST /api/v1/incidents/:id/attachments` and `GET …/attachments/:hash`: photos, drone imagery
 * and PDF kept by content hash, checked by type and size before anything is stored.
 */
import { expect } from 'chai';
import { files, startIncidentTestHub, type IncidentTestHub, type OrgClient } from './helpers.ts';

describe('incidents: attachments over HTTP', function () {
  this.timeout(30_000);
  let t: IncidentTestHub;
  let kz: OrgClient;
  let kg: OrgClient;
  const create = (by?: OrgClient, body?: Record<string, unknown>) => t.create(by, body);

  before(async () => {
    t = await startIncidentTestHub();
    ({ kz, kg } = t);
  });
  after(() => t.hub.destroy());

  describe('attachments', () => {
    it('keeps each accepted type by content hash and serves it back byte for byte', async () => {
      const { id } = await create();
      for (const [type, bytes] of [
        ['image/jpeg', files.jpeg],
        ['image/png', files.png],
        ['image/webp', files.webp],
        ['image/tiff', files.tiff],
        ['application/pdf', files.pdf],
      ] as const) {
        const res = await kg
          .post(`/api/v1/incidents/${id}/attachments?name=photo.bin`)
          .set('content-type', type)
          .send(bytes)
          .expect(201);
        expect(res.body.attachment).to.include({ contentType: type, bytes: bytes.length });
        const got = await kz
          .get(res.body.attachment.href as string)
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(got.headers['content-type']).to.contain(type);
        expect(Buffer.compare(got.body as Buffer, bytes)).to.equal(0);
      }
      const again = await kg
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'image/png')
        .send(files.png)
        .expect(200);
      expect(again.body.outcome).to.equal('existing');
    });

    it('downloads a file under the name it was attached with, Cyrillic included', async () => {
      const { id } = await create();
      const name = 'отчёт 2026.pdf';
      const res = await kg
        .post(`/api/v1/incidents/${id}/attachments?name=${encodeURIComponent(name)}`)
        .set('content-type', 'application/pdf')
        .send(files.pdf)
        .expect(201);
      const got = await kz.get(res.body.attachment.href as string).expect(200);
      const disposition = got.headers['content-disposition'] as string;
      expect(disposition).to.match(/^attachment; filename="[^"]*2026\.pdf"/);
      expect(disposition).to.contain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(got.headers['content-type']).to.contain('application/pdf');
    });

    it('refuses a type it does not keep (415), bytes of another type (422) and an empty body', async () => {
      const { id } = await create();
      const html = await kz
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'text/html')
        .send(files.html)
        .expect(415);
      expect(html.body.error.code).to.equal('ATTACHMENT_TYPE_UNSUPPORTED');
      const disguised = await kz
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'image/png')
        .send(files.html)
        .expect(422);
      expect(disguised.body.error.code).to.equal('ATTACHMENT_TYPE_MISMATCH');
      const jpegAsPng = await kz
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'image/png')
        .send(files.jpeg)
        .expect(422);
      expect(jpegAsPng.body.error.details).to.deep.equal({
        declared: 'image/png',
        detected: 'image/jpeg',
      });
      await kz
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'application/pdf')
        .expect(422);
      expect((await kz.get(`/api/v1/incidents/${id}`)).body.attachments).to.deep.equal([]);
    });

    it('refuses a file over 20 MB with 413 ATTACHMENT_TOO_LARGE', async () => {
      const { id } = await create();
      const big = Buffer.alloc(20 * 1024 * 1024 + 1);
      files.pdf.copy(big);
      const res = await kz
        .post(`/api/v1/incidents/${id}/attachments`)
        .set('content-type', 'application/pdf')
        .send(big)
        .expect(413);
      expect(res.body.error.code).to.equal('ATTACHMENT_TOO_LARGE');
    });
  });
});
