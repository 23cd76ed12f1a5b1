import { expect } from 'chai';
import { createSign, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { buildCap } from '../../../protocols/cap/build.ts';
import { readCap } from '../../../protocols/cap/parse.ts';
import {
  mayHoldSignature,
  readPinnedKeys,
  verifyCapSignature,
  type PinnedKey,
} from '../../../protocols/cap/signature.ts';
import { keyOfDsaValue } from '../../../protocols/cap/signature-keys.ts';
import { signCapXml } from '../../../protocols/cap/signature-sign.ts';
import { validAlert } from '../../helpers/cap.ts';
import { alertXml, testSigner } from './signature-test-keys.ts';

const fixtures = new URL('../../fixtures/cap/signed/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures));
const pinnedFrom = (name: string) => readPinnedKeys(fixture(name).toString('utf8'));

interface VerdictCase {
  file: string;
  certs: string[];
  allowSha1: boolean;
  signature: string;
  signer?: string;
  code?: string;
  basis: string;
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * The alert `signCapXml` signed, with its Reference's `URI=""` left out and SignedInfo signed
 * again (RSA-SHA256, Exclusive C14N): a signer that leaves the URI to the application.
 */
function withoutReferenceUri(signed: string, privateKeyPem: string): string {
  const text = signed.replace('<Reference URI="">', '<Reference>');
  const info = new DOMParser()
    .parseFromString(text, 'application/xml')
    .getElementsByTagNameNS(DSIG, 'SignedInfo')[0];
  if (info === undefined) throw new Error('no SignedInfo');
  const canonical = new ExclusiveCanonicalization().process(info as unknown as Element, {
    ancestorNamespaces: [{ prefix: '', namespaceURI: DSIG }],
  });
  const value = createSign('RSA-SHA256').update(canonical).sign(privateKeyPem, 'base64');
  return text.replace(/<SignatureValue>[^<]*</, `<SignatureValue>${value}<`);
}

const cases = (JSON.parse(fixture('verdicts.json').toString('utf8')) as { cases: VerdictCase[] })
  .cases;

describe('protocols/cap/signature', () => {
  describe('mayHoldSignature (the cheap test before verifying bytes already read)', () => {
    it('says yes for every signed file, whatever its verdict', () => {
      for (const c of cases) expect(mayHoldSignature(fixture(c.file)), c.file).to.equal(true);
    });

    it('says no only for ASCII-compatible bytes without the name Signature', () => {
      const plain = Buffer.from(buildCap(validAlert()), 'utf8');
      expect(verifyCapSignature(plain, { keys: [] }).signature).to.equal('unsigned');
      expect(mayHoldSignature(plain)).to.equal(false);
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
      expect(mayHoldSignature(bom)).to.equal(false);
      // UTF-16 spells the name with zero bytes between the letters: always verified.
      const utf16 = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(buildCap(validAlert()), 'utf16le'),
      ]);
      expect(mayHoldSignature(utf16)).to.equal(true);
      expect(mayHoldSignature(Buffer.from(buildCap(validAlert()), 'utf16le'))).to.equal(true);
    });
  });

  describe('the signed google/cap-library files', () => {
    for (const c of cases) {
      const pins = c.certs.length === 0 ? 'nothing pinned' : `pinning ${c.certs.join(' and ')}`;
      it(`finds ${c.file} ${c.signature} with ${pins}${c.allowSha1 ? ', SHA-1 allowed' : ''}`, () => {
        const keys = c.certs.flatMap(pinnedFrom);
        const report = verifyCapSignature(fixture(c.file), { keys, allowSha1: c.allowSha1 });
        expect(report.signature, c.basis).to.equal(c.signature);
        if (c.signer !== undefined) expect(report.signer).to.equal(c.signer);
        if (c.code !== undefined) expect(report.code).to.equal(c.code);
        if (c.signature === 'valid')
          expect(report.reasons.every((r) => r.level === 'warning')).to.be.true;
        else expect(report.reasons.length).to.be.greaterThan(0);
      });
    }

    it('agrees with what google/cap-library asserts for canada_signed.cap', () => {
      const expectations = JSON.parse(
        readFileSync(
          new URL('../../fixtures/cap/google-cap-library/expectations.json', import.meta.url),
          'utf8',
        ),
      ) as { files: Record<string, { signature?: Record<string, unknown> }> };
      const facts = expectations.files['testdata/canada_signed.cap']?.signature ?? {};
      expect(facts.signature_count).to.equal(2);
      const canada = fixture('canada_signed.cap');
      const verdict = (keys: PinnedKey[]) =>
        verifyCapSignature(canada, { keys, allowSha1: true }).signature;
      expect(verdict([])).not.to.equal('valid');
      expect(verdict(pinnedFrom('naads_x509_cert.pem'))).to.equal('valid');
      expect(verdict(pinnedFrom('environment_canada_x509_cert.pem'))).to.equal('valid');
      expect(verifyCapSignature(canada, { keys: [] }).signatures).to.have.lengthOf(2);
    });

    it('reads the signed alert of canada_signed.cap as the CAP reader reads the file', () => {
      const canada = fixture('canada_signed.cap');
      const report = verifyCapSignature(canada, {
        keys: pinnedFrom('environment_canada_x509_cert.pem'),
        allowSha1: true,
      });
      expect(readCap(report.signedXml ?? '').alert).to.deep.equal(readCap(canada).alert);
    });

    it('answers unsigned for an alert without a signature', () => {
      const report = verifyCapSignature(alertXml(), { keys: [] });
      expect(report).to.include({ signature: 'unsigned', algorithm: null, code: null });
      expect(report.reasons).to.deep.equal([]);
      const mention = alertXml().replace('</note>', ' (Signature of the head of service)</note>');
      expect(verifyCapSignature(mention, { keys: [] }).signature).to.equal('unsigned');
    });
  });

  describe('alerts signed by a pinned key', () => {
    const sender = testSigner('sender.example');
    const keys = [sender.pinned];

    it('verifies RSA-SHA256 with Exclusive C14N, the hub default', () => {
      const report = verifyCapSignature(signCapXml(alertXml(), sender), { keys });
      expect(report).to.include({
        signature: 'valid',
        algorithm: 'rsa-sha256',
        signer: 'sender.example',
      });
      expect(report.reasons).to.deep.equal([]);
    });

    for (const canonicalization of [
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
      'http://www.w3.org/2006/12/xml-c14n11',
      'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
    ])
      it(`verifies a signature canonicalized with ${canonicalization}`, () => {
        const signed = signCapXml(alertXml(), sender, { canonicalization });
        expect(verifyCapSignature(signed, { keys }).signature).to.equal('valid');
      });

    it('verifies ECDSA-SHA256 (r‖s signature values)', () => {
      const ec = testSigner('ec.example', 'ec');
      const report = verifyCapSignature(signCapXml(alertXml(), ec), { keys: [ec.pinned] });
      expect(report).to.include({ signature: 'valid', algorithm: 'ecdsa-sha256' });
    });

    it('verifies RSA-SHA512 with a SHA-512 digest', () => {
      const signed = signCapXml(alertXml(), sender, {
        algorithm: 'rsa-sha512',
        digest: 'http://www.w3.org/2001/04/xmlenc#sha512',
      });
      expect(verifyCapSignature(signed, { keys })).to.include({
        signature: 'valid',
        algorithm: 'rsa-sha512',
      });
    });

    it('verifies a signature without KeyInfo against the pinned key', () => {
      const signed = signCapXml(alertXml(), sender, { withoutKeyInfo: true });
      expect(signed).not.to.contain('KeyInfo');
      expect(verifyCapSignature(signed, { keys }).signature).to.equal('valid');
    });

    it("accepts a relay's signature over the sender's, with either key pinned", () => {
      const relay = testSigner('relay.example');
      const twice = signCapXml(signCapXml(alertXml(), sender), relay);
      expect(verifyCapSignature(twice, { keys }).signature).to.equal('valid');
      expect(verifyCapSignature(twice, { keys: [relay.pinned] }).signature).to.equal('valid');
      expect(
        verifyCapSignature(twice, { keys: [] }).signatures.map((s) => s.outcome),
      ).to.deep.equal(['intact', 'intact']);
    });

    it('reads a Reference without URI as covering the whole alert', () => {
      const signed = withoutReferenceUri(signCapXml(alertXml(), sender), sender.privateKeyPem);
      expect(signed).to.contain('<Reference>');
      expect(verifyCapSignature(signed, { keys })).to.include({
        signature: 'valid',
        signer: 'sender.example',
      });
    });

    it('does not call a Reference without URI broken when its digest is not the alert’s', () => {
      // alert-hub.org signs what it relays that way, digesting the alert in C14N 2.0: a scheme
      // EWX does not verify, so the verdict is untrusted, as for an unsigned alert — not invalid.
      const change = (xml: string) =>
        xml.replace('<severity>Severe</severity>', '<severity>Extreme</severity>');
      const signed = signCapXml(alertXml(), sender);
      const withoutUri = change(withoutReferenceUri(signed, sender.privateKeyPem));
      expect(verifyCapSignature(withoutUri, { keys })).to.include({
        signature: 'untrusted',
        code: 'SIG_UNSUPPORTED_ALGORITHM',
      });
      expect(verifyCapSignature(change(signed), { keys })).to.include({
        signature: 'invalid',
        code: 'SIG_INVALID',
      });
    });

    it('ignores comments added after signing (a URI="" reference never covers comments)', () => {
      const signed = signCapXml(alertXml(), sender).replace('<info>', '<!-- relayed --><info>');
      expect(verifyCapSignature(signed, { keys }).signature).to.equal('valid');
    });

    it('verifies an alert signed as ISO-8859-1 bytes', () => {
      const alert = validAlert();
      alert.note = 'Usulután — señal';
      const text = buildCap(alert).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
      const signed = signCapXml(text.replace('—', '-'), sender);
      const bytes = Buffer.from(signed, 'latin1');
      expect(verifyCapSignature(bytes, { keys }).signature).to.equal('valid');
    });

    it('gives the canonical signed alert, which reads as the same alert', () => {
      const signed = signCapXml(alertXml(), sender);
      const report = verifyCapSignature(signed, { keys });
      expect(report.signedXml).not.to.contain('Signature');
      expect(readCap(report.signedXml ?? '').alert).to.deep.equal(readCap(signed).alert);
    });

    it('is verified by xml-crypto itself (interoperability)', () => {
      const signed = signCapXml(alertXml(), sender);
      const checker = new SignedXml({ publicCert: sender.certificatePem });
      const doc = new DOMParser().parseFromString(signed, 'application/xml');
      const signature = checker.findSignatures(doc as unknown as Node)[0];
      if (signature === undefined) throw new Error('no signature');
      checker.loadSignature(signature);
      expect(checker.checkSignature(signed)).to.equal(true);
    });

    it('accepts a pinned bare public key as well as a certificate', () => {
      const pem = sender.pinned.key.export({ type: 'spki', format: 'pem' }).toString();
      const report = verifyCapSignature(signCapXml(alertXml(), sender), {
        keys: readPinnedKeys(pem),
      });
      expect(report.signature).to.equal('valid');
    });
  });

  describe('DSA signatures (as the US tsunami warning centres sign)', () => {
    const ptwc = () => fixture('ptwc-pheb-dsa-signed.xml');
    const codes = (report: { reasons: readonly { code: string }[] }) =>
      report.reasons.map((r) => r.code);

    it('finds a real PTWC statement intact by the DSA key it carries, SHA-1 refused unless allowed', () => {
      const report = verifyCapSignature(ptwc(), { keys: [] });
      expect(report).to.deep.include({ signature: 'untrusted', algorithm: 'dsa-sha1' });
      expect(report.signatures[0]?.outcome).to.equal('intact');
      expect(codes(report)).to.deep.equal(['SIG_WEAK_ALGORITHM', 'SIG_UNTRUSTED']);
      expect(report.reasons[1]?.message).to.equal(
        'intact, but signed by a DSA key value, whose key is not pinned for this sender',
      );
      expect(codes(verifyCapSignature(ptwc(), { keys: [], allowSha1: true }))).to.deep.equal([
        'SIG_UNTRUSTED',
      ]);
    });

    it('finds the PTWC statement broken once its text is changed', () => {
      const text = ptwc().toString('utf8');
      for (const forged of [
        text.replace('<severity>Minor</severity>', '<severity>Extreme</severity>'),
        // The signature value changed: the DSA check over SignedInfo fails.
        text.replace(/<SignatureValue>[A-Za-z0-9+/]{8}/, '<SignatureValue>AAAAAAAA'),
      ]) {
        expect(forged).to.not.equal(text);
        const report = verifyCapSignature(forged, { keys: [], allowSha1: true });
        expect(report.signature).to.equal('invalid');
        expect(report.code).to.equal('SIG_INVALID');
      }
    });

    it('trusts the PTWC key once pinned, for a sender whose policy allows SHA-1', () => {
      const document = new DOMParser().parseFromString(ptwc().toString('utf8'), 'text/xml');
      const value = (name: string) =>
        document.getElementsByTagNameNS(DSIG, name)[0]?.textContent ?? '';
      const key = keyOfDsaValue(value('P'), value('Q'), value('G'), value('Y'));
      if (key === undefined) throw new Error('the DSAKeyValue reads as a key');
      const keys = readPinnedKeys(key.export({ type: 'spki', format: 'pem' }).toString());
      expect(verifyCapSignature(ptwc(), { keys, allowSha1: true })).to.deep.include({
        signature: 'valid',
        algorithm: 'dsa-sha1',
      });
      const strict = verifyCapSignature(ptwc(), { keys });
      expect(strict).to.deep.include({ signature: 'invalid', code: 'SIG_WEAK_ALGORITHM' });
    });

    it('verifies DSA-SHA256 (XML-DSig 1.1) with a pinned DSA public key', () => {
      const { privateKey, publicKey } = generateKeyPairSync('dsa', {
        modulusLength: 2048,
        divisorLength: 256,
      });
      const method = 'http://www.w3.org/2009/xmldsig11#dsa-sha256';
      class DsaSha256 {
        getSignature(signedInfo: string | Buffer): string {
          return cryptoSign('sha256', Buffer.from(signedInfo), {
            key: privateKey,
            dsaEncoding: 'ieee-p1363',
          }).toString('base64');
        }
        verifySignature(): boolean {
          return false;
        }
        getAlgorithmName(): string {
          return method;
        }
      }
      const signer = new SignedXml({
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        signatureAlgorithm: method,
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
        getKeyInfoContent: () => null,
      });
      signer.SignatureAlgorithms[method] = DsaSha256;
      signer.addReference({
        xpath: '/*',
        transforms: [
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/2001/10/xml-exc-c14n#',
        ],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
        uri: '',
        isEmptyUri: true,
      });
      signer.computeSignature(alertXml(), { location: { reference: '/*', action: 'append' } });
      const signed = signer.getSignedXml();
      const keys = readPinnedKeys(publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const report = verifyCapSignature(signed, { keys });
      expect(report).to.deep.include({ signature: 'valid', algorithm: 'dsa-sha256', code: null });
      expect(verifyCapSignature(signed, { keys: [] }).signature).to.equal('untrusted');
      const other = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
      const wrongKey = readPinnedKeys(
        other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      expect(verifyCapSignature(signed, { keys: wrongKey }).signature).to.equal('untrusted');
    });
  });
});
