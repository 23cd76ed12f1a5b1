/**
 * `GET /api/v1/trust/hub.pem`: the certificate of the key the hub signs its CAP with, for
 * partners to pin (public, like the CAP it verifies). 404 `HUB_CERTIFICATE_NOT_CONFIGURED`
 * when the hub has no signing key.
 */
import { Router } from 'express';
import { HubError } from '../../../protocols/errors.ts';
import type { SignatureService } from '../../trust/signature-service.ts';

/** The trust routes. */
export function trustRoutes(signatures: SignatureService | undefined): Router {
  const router = Router();
  router.get('/api/v1/trust/hub.pem', (_req, res, next) => {
    const pem = signatures?.signer?.certificatePem;
    if (pem === undefined) {
      next(
        new HubError(
          'HUB_CERTIFICATE_NOT_CONFIGURED',
          'this hub has no signing certificate (HUB_SIGNING_KEY and HUB_SIGNING_CERT are unset); its CAP is unsigned',
        ),
      );
      return;
    }
    // RFC 8555 §9.1: PEM certificates, the first the signer's own.
    res.status(200).type('application/pem-certificate-chain').send(pem);
  });
  return router;
}
