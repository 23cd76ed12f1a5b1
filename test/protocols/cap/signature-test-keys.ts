/**
 * Keys and self-signed certificates made at test time with openssl (node:crypto cannot write
 * X.509), once per process and name; nothing secret is stored in the repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCap } from '../../../protocols/cap/build.ts';
import { readPinnedKeys, type PinnedKey } from '../../../protocols/cap/signature-keys.ts';
import { checkSigningKey, type CheckedSigningKey } from '../../../protocols/cap/signature-sign.ts';
import { validAlert } from '../../helpers/cap.ts';

/** The CAP the signature tests sign: the helper's valid alert. */
export function alertXml(): string {
  return buildCap(validAlert());
}

/** A test signer: its PEM files' text and the checked key. */
export interface TestSigner extends CheckedSigningKey {
  /** Where the PEM files are (for the CLI and HUB_SIGNING_*), removed at exit. */
  readonly keyFile: string;
  readonly certFile: string;
}

const made = new Map<string, TestSigner>();
let dir: string | undefined;

function workDir(): string {
  if (dir === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'ewx-keys-'));
    dir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}

/** A key and its self-signed certificate with subject `CN=<name>`. */
export function testSigner(name: string, type: 'rsa' | 'ec' | 'rsa1024' = 'rsa'): TestSigner {
  const id = `${name}-${type}`;
  const known = made.get(id);
  if (known !== undefined) return known;
  const keyFile = join(workDir(), `${id}.key`);
  const certFile = join(workDir(), `${id}.pem`);
  const newkey =
    type === 'ec'
      ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
      : ['-newkey', type === 'rsa' ? 'rsa:2048' : 'rsa:1024'];
  execFileSync(
    'openssl',
    ['req', '-x509', ...newkey, '-nodes', '-keyout', keyFile, '-out', certFile].concat([
      '-days',
      '3650',
      '-subj',
      `/CN=${name}`,
    ]),
    { stdio: 'ignore' },
  );
  const privateKeyPem = readFileSync(keyFile, 'utf8');
  const certificatePem = readFileSync(certFile, 'utf8');
  // checkSigningKey refuses a 1024-bit key; the tests need one to make a weak signature.
  const checked: CheckedSigningKey =
    type === 'rsa1024'
      ? {
          privateKeyPem,
          certificatePem,
          pinned: readPinnedKeys(certificatePem)[0] as PinnedKey,
          algorithm: 'rsa-sha256',
        }
      : checkSigningKey({ privateKeyPem, certificatePem });
  const signer = { ...checked, keyFile, certFile };
  made.set(id, signer);
  return signer;
}

/** `xml` without the whitespace between its tags (buildCap's indentation), as signxml signs. */
export function compactXml(xml: string): string {
  return xml.replace(/>\s+</g, '><');
}

/**
 * A compact signed alert as WMO's CAP tools publish it: indented, with the XML declaration and
 * a stylesheet instruction before `<alert>`.
 */
export function publishedAsWmo(signed: string): string {
  const body = signed.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/></g, '>\n  <');
  return `<?xml version='1.0' encoding='utf-8'?>\n<?xml-stylesheet type="text/xsl" href="https://meteo.example/cap.xsl"?>\n${body}\n`;
}
