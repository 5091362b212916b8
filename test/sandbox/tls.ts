// One certificate authority for every sandbox server (Kubernetes API, ARM, …). Clients are pointed at ca.pem the way
// real ones are pointed at a cluster's CA, so TLS verification stays on everywhere: a client that would skip it
// against the sandbox would hide exactly the kind of bug the sandbox exists to catch.
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';

// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API before it loads.
await import('reflect-metadata');
const x509: typeof X509 = await import('@peculiar/x509');

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface SandboxCa {
  /** The CA certificate (PEM), also written to caFile. */
  readonly certPem: string;
  /** `dir/ca.pem`. */
  readonly caFile: string;
  /** A TLS server certificate for 127.0.0.1, localhost and the given DNS names or IP addresses. */
  issue(hostnames: readonly string[]): Promise<IssuedCertificate>;
}

// P-256 ECDSA: accepted by Node, Go (kubectl) and Chromium, and generated in milliseconds, unlike RSA.
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const crypto = webcrypto;

// Go rejects negative serial numbers; a leading byte below 0x80 keeps the DER INTEGER positive.
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return Buffer.from(bytes).toString('hex');
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createSandboxCa(dir: string): Promise<SandboxCa> {
  await mkdir(dir, { recursive: true });
  const now = Date.now();
  // Backdated so a client whose clock is a little behind still accepts the certificates.
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 7 * 24 * 60 * 60 * 1000);
  const caKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Arc APIM Gateway sandbox CA, O=arc-apim-gateway sandbox',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
    ],
  }, crypto);
  const certPem = caCert.toString('pem');
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, certPem + '\n');

  async function issue(hostnames: readonly string[]): Promise<IssuedCertificate> {
    const names = [...new Set(['127.0.0.1', 'localhost', ...hostnames])];
    const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${names.find((n) => isIP(n) === 0) ?? 'localhost'}`,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          names.map((n) => ({ type: isIP(n) === 0 ? 'dns' as const : 'ip' as const, value: n })),
        ),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    }, crypto);
    return { certPem: cert.toString('pem') + '\n' + certPem + '\n', keyPem: await privateKeyPem(keys.privateKey) };
  }

  return { certPem, caFile, issue };
}
