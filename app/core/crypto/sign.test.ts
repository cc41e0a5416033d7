import { describe, expect, it } from 'vitest';
import { utf8 } from './bytes.ts';
import { generateSigningKeyPair, memberIdOf, signingKeyOfMember } from './keys.ts';
import { sign, verify } from './sign.ts';

describe('signatures', () => {
  const alice = generateSigningKeyPair();
  const bob = generateSigningKeyPair();
  const m = utf8('a post');
  it('verifies its own signature and nothing else', () => {
    const s = sign(alice.secretKey, m);
    expect(verify(alice.publicKey, m, s)).toBe(true);
    expect(verify(bob.publicKey, m, s)).toBe(false);
    expect(verify(alice.publicKey, utf8('a pest'), s)).toBe(false);
    expect(verify(alice.publicKey, m, s.subarray(0, 63))).toBe(false);
  });
  it('member ids map back to signing keys', () => {
    expect(signingKeyOfMember(memberIdOf(alice.publicKey))).toEqual(alice.publicKey);
  });
});
