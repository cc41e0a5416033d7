import { ed25519 } from '@noble/curves/ed25519.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { toBase64Url, utf8 } from '../crypto/bytes.ts';
import {
  nobleBackend,
  type SignatureBackend,
  type SignatureCheck,
  Verifier,
  webCryptoBackend,
} from './Verifier.ts';

function signed(text: string): SignatureCheck {
  const pair = nacl.sign.keyPair();
  const sig = nacl.sign.detached(utf8(text), pair.secretKey);
  return { signer: toBase64Url(pair.publicKey), text, sig: toBase64Url(sig) };
}

const good = signed('hello');
const other = signed('other');
const cases: [string, SignatureCheck, boolean][] = [
  ['a good signature', good, true],
  ['changed text', { ...good, text: 'hellp' }, false],
  ['another signer', { ...good, signer: other.signer }, false],
  ['another signature', { ...good, sig: other.sig }, false],
  ['a short signature', { ...good, sig: good.sig.slice(0, 80) }, false],
  ['a signer that is not base64url', { ...good, signer: '!'.repeat(43) }, false],
  [
    'a signer that is not a curve point',
    { ...good, signer: toBase64Url(new Uint8Array(32).fill(0xff)) },
    false,
  ],
  ['empty strings', { signer: '', text: '', sig: '' }, false],
];

describe.each([
  ['noble', async () => nobleBackend],
  ['webcrypto', async () => (await webCryptoBackend()) as SignatureBackend],
])('Verifier with %s', (_name, make) => {
  it.each(cases)('%s', async (_label, check, expected) => {
    const v = new Verifier(await make());
    expect(await v.verify([check])).toEqual([expected]);
  });

  it('keeps order in a large mixed batch', async () => {
    const v = new Verifier(await make());
    const batch = Array.from({ length: 600 }, (_, i) =>
      i % 3 === 0 ? { ...good, text: `x${i}` } : good,
    );
    const out = await v.verify(batch);
    expect(out).toEqual(batch.map((_, i) => i % 3 !== 0));
  });

  it('accepts signatures made by noble too (same keys as tweetnacl)', async () => {
    const seed = new Uint8Array(32).fill(3);
    const pub = nacl.sign.keyPair.fromSeed(seed).publicKey;
    expect(ed25519.getPublicKey(seed)).toEqual(pub);
    const sig = ed25519.sign(utf8('n'), seed);
    const v = new Verifier(await make());
    expect(
      await v.verify([{ signer: toBase64Url(pub), text: 'n', sig: toBase64Url(sig) }]),
    ).toEqual([true]);
  });
});

describe('Verifier', () => {
  it('finds WebCrypto Ed25519 on this platform (Node >= 20, Chromium)', async () => {
    expect(await new Verifier().backendName()).toBe('webcrypto');
  });

  it('checks each distinct signature once and answers repeats from the cache', async () => {
    let calls = 0;
    const counting: SignatureBackend = {
      name: 'counting',
      async verifyAll(checks) {
        calls += checks.length;
        return nobleBackend.verifyAll(checks);
      },
    };
    const v = new Verifier(counting);
    expect(await v.verify([good, good, other])).toEqual([true, true, true]);
    expect(calls).toBe(2);
    expect(await v.verify([good, other, { ...good, text: 'changed' }])).toEqual([
      true,
      true,
      false,
    ]);
    expect(calls).toBe(3);
    expect(v.cacheSize).toBe(3);
  });
});
