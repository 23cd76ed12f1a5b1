import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { readCap } from '../../../protocols/cap/parse.ts';
import { readPinnedKeys, verifyCapSignature } from '../../../protocols/cap/signature.ts';
import { signCapXml } from '../../../protocols/cap/signature-sign.ts';
import { isHubError } from '../../../protocols/errors.ts';
import { alertXml, testSigner } from './signature-test-keys.ts';

const fixtures = new URL('../../fixtures/cap/signed/', import.meta.url);
const canada = () => readFileSync(new URL('canada_signed.cap', fixtures), 'utf8');
const canadaKeys = () =>
  readPinnedKeys(readFileSync(new URL('environment_canada_x509_cert.pem', fixtures), 'utf8'));

describe('protocols/cap/signature: forged alerts', () => {
  const sender = testSigner('sender.example');
  const attacker = testSigner('attacker.example');
  const keys = [sender.pinned];
  const signed = () => signCapXml(alertXml(), sender);
  const verdict = (xml: string | Buffer, allowSha1 = false) =>
    verifyCapSignature(xml, { keys, allowSha1 });

  it('accepts the genuine alert (the forgeries below start from it)', () => {
    expect(verdict(signed()).signature).to.equal('valid');
  });

  it('refuses a tampered field with SIG_INVALID', () => {
    const forged = signed().replace('<severity>Severe</severity>', '<severity>Extreme</severity>');
    expect(verdict(forged)).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('refuses a tampered field of canada_signed.cap with SIG_INVALID', () => {
    const forged = canada().replace(
      '<severity>Moderate</severity>',
      '<severity>Extreme</severity>',
    );
    const report = verifyCapSignature(forged, { keys: canadaKeys(), allowSha1: true });
    expect(report).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('refuses content appended after signing with SIG_INVALID', () => {
    const forged = signed().replace('</alert>', '<info><event>Fake</event></info></alert>');
    expect(verdict(forged)).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
    const note = canada().replace('</Signature></alert>', '</Signature><note>x</note></alert>');
    expect(verifyCapSignature(note, { keys: canadaKeys(), allowSha1: true }).signature).to.equal(
      'invalid',
    );
  });

  it('refuses an alert re-signed with another key carrying its certificate: SIG_UNTRUSTED', () => {
    const changed = alertXml().replace(
      '<severity>Severe</severity>',
      '<severity>Extreme</severity>',
    );
    const report = verdict(signCapXml(changed, attacker));
    expect(report).to.include({ signature: 'untrusted', code: 'SIG_UNTRUSTED', signer: null });
    expect(report.signatures[0]).to.include({ outcome: 'intact', signer: 'attacker.example' });
  });

  it('never trusts the certificate in KeyInfo by itself', () => {
    const report = verifyCapSignature(signed(), { keys: [] });
    expect(report).to.include({ signature: 'untrusted', code: 'SIG_UNTRUSTED' });
  });

  it('refuses a second Signature covering only a fragment with SIG_WRAPPING', () => {
    const wrapper = new SignedXml({
      privateKey: attacker.privateKeyPem,
      publicCert: attacker.certificatePem,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    wrapper.addReference({
      xpath: "//*[local-name(.)='info']",
      transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    wrapper.computeSignature(signed(), { location: { reference: '/*', action: 'append' } });
    const forged = wrapper.getSignedXml();
    expect(forged).to.match(/URI="#[^"]+"/);
    const report = verdict(forged);
    expect(report).to.include({ signature: 'invalid', code: 'SIG_WRAPPING' });
    expect(report.reasons.map((r) => r.message).join(' ')).to.contain('not the whole alert');
  });

  it('refuses the original alert wrapped in an Object under a changed one (SIG_INVALID)', () => {
    const original = signed();
    const inner = alertXml().replace(/^<\?xml[^>]*>\s*/, '');
    const forged = original
      .replace('<severity>Severe</severity>', '<severity>Minor</severity>')
      .replace('</KeyInfo>', `</KeyInfo><Object>${inner}</Object>`);
    expect(verdict(forged)).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('refuses ids on CAP elements and duplicate ids with SIG_WRAPPING', () => {
    const withId = signed().replace('<info>', '<info Id="i1">');
    expect(verdict(withId)).to.include({ signature: 'invalid', code: 'SIG_WRAPPING' });
    const twice = canada().replace('Id="Environment Canada"', 'Id="NAADS Signature"');
    const report = verifyCapSignature(twice, { keys: canadaKeys(), allowSha1: true });
    expect(report).to.include({ signature: 'invalid', code: 'SIG_WRAPPING' });
  });

  it('refuses a transform that can select part of the alert with SIG_WRAPPING', () => {
    const forged = signed().replace(
      '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath>1</XPath></Transform>',
    );
    expect(forged).to.contain('REC-xpath');
    expect(verdict(forged)).to.include({ signature: 'invalid', code: 'SIG_WRAPPING' });
  });

  it('refuses SHA-1 where the policy does not allow it (SIG_WEAK_ALGORITHM), accepts it where it does', () => {
    const sha1 = signCapXml(alertXml(), sender, {
      algorithm: 'rsa-sha1',
      digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    expect(verdict(sha1)).to.include({ signature: 'invalid', code: 'SIG_WEAK_ALGORITHM' });
    expect(verdict(sha1, true).signature).to.equal('valid');
  });

  it('says which part uses SHA-1: the method, or only the Reference digest (as IPAWS relays sign)', () => {
    const message = (xml: string, keysOf: typeof keys) =>
      verifyCapSignature(xml, { keys: keysOf }).reasons.find((r) => r.code === 'SIG_WEAK_ALGORITHM')
        ?.message;
    const method = signCapXml(alertXml(), sender, {
      algorithm: 'rsa-sha1',
      digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    const digestOnly = signCapXml(alertXml(), sender, {
      digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    expect(message(method, keys)).to.equal(
      'rsa-sha1 uses SHA-1, which is not allowed for this sender',
    );
    expect(message(digestOnly, keys)).to.equal(
      'the Reference digest is SHA-1 (signed with rsa-sha256), which is not allowed for this sender',
    );
    // Not pinned: still said, beside SIG_UNTRUSTED.
    expect(message(digestOnly, [])).to.equal(
      'the Reference digest is SHA-1 (signed with rsa-sha256)',
    );
  });

  it('refuses an RSA key under 2048 bits as weak', () => {
    const short = testSigner('short.example', 'rsa1024');
    const report = verifyCapSignature(signCapXml(alertXml(), short), { keys: [short.pinned] });
    expect(report).to.include({ signature: 'invalid', code: 'SIG_WEAK_ALGORITHM' });
  });

  it('refuses a signature inside <info> with SIG_MISPLACED', () => {
    const original = signed();
    const signature = /<Signature[\s\S]*<\/Signature>/.exec(original)?.[0] ?? '';
    const moved = original.replace(signature, '').replace('</info>', `${signature}</info>`);
    expect(verdict(moved)).to.include({ signature: 'invalid', code: 'SIG_MISPLACED' });
  });

  it('refuses a signature outside <alert> with SIG_MISPLACED', () => {
    const original = signed().replace(/^<\?xml[^>]*>\s*/, '');
    const signature = /<Signature[\s\S]*<\/Signature>/.exec(original)?.[0] ?? '';
    const outside = `<envelope>${original.replace(signature, '')}${signature}</envelope>`;
    expect(verdict(outside)).to.include({ signature: 'invalid', code: 'SIG_MISPLACED' });
  });

  it('refuses an alert whose second signature is broken, though the first is valid', () => {
    const relay = testSigner('relay.example');
    const twice = signCapXml(signed(), relay);
    const values = [...twice.matchAll(/<SignatureValue>([^<]+)</g)];
    const last = values[1]?.[1] ?? '';
    const flipped = (last.startsWith('A') ? 'B' : 'A') + last.slice(1);
    const report = verdict(twice.replace(last, flipped));
    expect(report).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
    expect(report.signatures.map((s) => s.outcome)).to.deep.equal(['trusted', 'broken']);
  });

  it('refuses more than two signatures', () => {
    const thrice = signCapXml(signCapXml(signed(), attacker), testSigner('third.example'));
    expect(verdict(thrice)).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('answers untrusted with SIG_UNSUPPORTED_ALGORITHM for a method it does not verify', () => {
    const hmac = signed().replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
    );
    expect(verdict(hmac)).to.include({ signature: 'untrusted', code: 'SIG_UNSUPPORTED_ALGORITHM' });
  });

  it('refuses an RSA signature relabelled as DSA: the key it carries does not verify it', () => {
    const dsa = signed().replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
    );
    expect(verdict(dsa)).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
  });

  it('says what text a malformed signature holds (a sample published with "..." for its body)', () => {
    const elided = signed().replace(
      /(<Signature[^>]*>)[\s\S]*<\/Signature>/,
      '$1\n        ...\n    </Signature>',
    );
    const report = verdict(elided);
    expect(report).to.include({ signature: 'invalid', code: 'SIG_INVALID' });
    expect(report.reasons[0]?.message).to.equal(
      '<Signature> holds the text "..." where only elements belong: not an XML-DSig signature as written',
    );
  });

  it('refuses a malformed signature (two SignedInfo) with SIG_INVALID', () => {
    const original = signed();
    const info = /<SignedInfo>[\s\S]*?<\/SignedInfo>/.exec(original)?.[0] ?? '';
    expect(verdict(original.replace(info, info + info))).to.include({
      signature: 'invalid',
      code: 'SIG_INVALID',
    });
  });

  it('answers every mangled copy with a verdict or a coded error, valid only if the alert is intact', () => {
    const original = signed();
    const alert = readCap(original).alert;
    let seed = 9;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 150; k++) {
      const at = next(original.length);
      const cut = original.slice(0, at) + original.slice(at + 1 + next(40));
      try {
        const report = verdict(cut);
        if (report.signature === 'valid')
          expect(readCap(report.signedXml ?? '').alert, `cut at ${at}`).to.deep.equal(alert);
      } catch (error) {
        expect(isHubError(error), String(error)).to.equal(true);
      }
    }
  });

  it('refuses a DOCTYPE before anything is parsed (the CAP guard runs first)', () => {
    const doctype = signed().replace('<alert', '<!DOCTYPE alert [<!ENTITY x "y">]><alert');
    expect(() => verdict(doctype))
      .to.throw()
      .that.satisfies((e: unknown) => isHubError(e, 'XML_DTD_FORBIDDEN'));
  });
});
