import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { boxTo, openBoxed } from './box.ts';

describe('boxTo / openBoxed', () => {
  it('opens only with the two ends it was made for, and never throws on junk', () => {
    const [a, b, c] = [nacl.box.keyPair(), nacl.box.keyPair(), nacl.box.keyPair()];
    const text = boxTo(Uint8Array.of(1, 2, 3), b.publicKey, a.secretKey);
    expect(openBoxed(text, a.publicKey, b.secretKey)).toEqual(Uint8Array.of(1, 2, 3));
    // Another receiver, or a claimed sender that did not box it: nothing.
    expect(openBoxed(text, a.publicKey, c.secretKey)).toBeNull();
    expect(openBoxed(text, c.publicKey, b.secretKey)).toBeNull();
    // A fresh nonce each time.
    expect(boxTo(Uint8Array.of(1, 2, 3), b.publicKey, a.secretKey)).not.toBe(text);
    expect(openBoxed('not base64url!', a.publicKey, b.secretKey)).toBeNull();
    expect(openBoxed('', a.publicKey, b.secretKey)).toBeNull();
  });
});
