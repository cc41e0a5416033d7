import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../crypto/bytes.ts';
import { type MemberId, memberIdOf, type SigningPublicKey } from '../crypto/keys.ts';
import { isHearthError } from '../errors.ts';
import {
  checkVerifyCode,
  FingerprintError,
  parseVerifyCode,
  safetyNumber,
  safetyNumberGroups,
  shortFingerprint,
  verifyCode,
} from './fingerprint.ts';
import { createIdentity } from './Identity.ts';

/** The member id of the ed25519 key whose 32-byte seed is `byte` repeated. */
const idFromSeed = (byte: number): MemberId =>
  memberIdOf(
    nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(byte)).publicKey as SigningPublicKey,
  );

const A = idFromSeed(1);
const B = idFromSeed(2);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FingerprintError) return e.code;
    throw e;
  }
  return undefined;
}

describe('fixed vectors (changing these changes every number people have compared)', () => {
  it('has the expected member ids', () => {
    expect(A).toBe('iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w');
    expect(B).toBe('gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q');
  });

  it('short fingerprints', () => {
    expect(shortFingerprint(A)).toBe('6819 3462 6845');
    expect(shortFingerprint(B)).toBe('4082 9270 5202');
    expect(shortFingerprint('A'.repeat(43))).toBe('3766 8893 6034');
  });

  it('safety number', () => {
    expect(safetyNumber(A, B)).toBe(
      '20363 35356 09568 87769 87625 36244 31401 21396 07155 83279 43986 48290',
    );
  });

  it('verify code', () => {
    expect(verifyCode(A, B)).toBe(
      'hearth-verify:1:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w:gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q',
    );
  });

  it('follows the documented derivation: SHA-512(label || key), 5-byte chunks mod 10^k', () => {
    const key = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(1)).publicKey;
    const digits = (label: string, groups: number, width: number) => {
      const h = nacl.hash(concatBytes(utf8(label), key));
      return Array.from({ length: groups }, (_, g) => {
        let n = 0n;
        for (const byte of h.subarray(g * 5, g * 5 + 5)) n = (n << 8n) | BigInt(byte);
        return (n % 10n ** BigInt(width)).toString().padStart(width, '0');
      });
    };
    expect(shortFingerprint(A)).toBe(digits('hearth/fingerprint/v1', 3, 4).join(' '));
    const half = digits('hearth/safety-number/v1', 6, 5);
    const groups = safetyNumberGroups(A, B);
    expect(
      groups.slice(0, 6).join('') === half.join('') || groups.slice(6).join('') === half.join(''),
    ).toBe(true);
  });
});

describe('shortFingerprint', () => {
  it('is three groups of four digits and differs between keys', () => {
    const a = createIdentity('Sam');
    const b = createIdentity('Sam');
    expect(shortFingerprint(a.id)).toMatch(/^\d{4} \d{4} \d{4}$/);
    expect(shortFingerprint(a.id)).not.toBe(shortFingerprint(b.id));
    expect(shortFingerprint(a.id)).toBe(shortFingerprint(a.id));
  });

  it('refuses what is not a member id', () => {
    expect(codeOf(() => shortFingerprint(''))).toBe('bad-member-id');
    expect(codeOf(() => shortFingerprint('not base64!'))).toBe('bad-member-id');
    expect(codeOf(() => shortFingerprint('AAAA'))).toBe('bad-member-id');
    expect(codeOf(() => shortFingerprint(`${A}A`))).toBe('bad-member-id');
  });
});

describe('safetyNumber', () => {
  it('is the same whichever member computes it', () => {
    for (let i = 10; i < 30; i += 2) {
      const a = idFromSeed(i);
      const b = idFromSeed(i + 1);
      expect(safetyNumber(a, b)).toBe(safetyNumber(b, a));
      expect(safetyNumber(a, b)).toMatch(/^\d{5}( \d{5}){11}$/);
    }
  });

  it('changes when either key changes', () => {
    const c = idFromSeed(3);
    expect(safetyNumber(A, c)).not.toBe(safetyNumber(A, B));
    expect(safetyNumber(c, B)).not.toBe(safetyNumber(A, B));
  });

  it('has one half from each key, not related to the short fingerprint', () => {
    const c = idFromSeed(3);
    const ab = safetyNumberGroups(A, B);
    const ac = safetyNumberGroups(A, c);
    const shared = ab.slice(0, 6).join() === ac.slice(0, 6).join() ? ab.slice(0, 6) : ab.slice(6);
    expect([ac.slice(0, 6).join(), ac.slice(6).join()]).toContain(shared.join());
    expect(ab.join(' ')).not.toContain(shortFingerprint(A).replaceAll(' ', ''));
  });

  it('refuses what is not a member id', () => {
    expect(codeOf(() => safetyNumber(A, 'nope'))).toBe('bad-member-id');
  });
});

describe('verify codes', () => {
  it('round-trips', () => {
    expect(parseVerifyCode(verifyCode(A, B))).toEqual({ version: 1, self: A, peer: B });
    expect(parseVerifyCode(`  ${verifyCode(A, B)}\n`)).toEqual({ version: 1, self: A, peer: B });
  });

  it('says what is wrong with a malformed code', () => {
    expect(codeOf(() => parseVerifyCode(''))).toBe('not-verify-code');
    expect(codeOf(() => parseVerifyCode('https://example.org/'))).toBe('not-verify-code');
    expect(codeOf(() => parseVerifyCode('https://h.example/#/join/abc'))).toBe('not-verify-code');
    expect(codeOf(() => parseVerifyCode(`HEARTH-VERIFY:1:${A}:${B}`))).toBe('not-verify-code');
    expect(codeOf(() => parseVerifyCode('hearth-verify'))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:x:${A}:${B}`))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:01:${A}:${B}`))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:2:${A}:${B}`))).toBe('unknown-version');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:2:anything`))).toBe('unknown-version');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:1:${A}`))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:1:${A}:${B}:`))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:1:${A}:${A}`))).toBe('bad-format');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:1:${A}:AAAA`))).toBe('bad-member-id');
    expect(codeOf(() => parseVerifyCode(`hearth-verify:1:${A.slice(1)}:${B}`))).toBe(
      'bad-member-id',
    );
    expect(codeOf(() => verifyCode(A, 'x'))).toBe('bad-member-id');
  });

  it('matches only when both devices hold both real keys', () => {
    // A scans the code on B's screen.
    expect(checkVerifyCode(verifyCode(B, A), { me: A, them: B })).toEqual({ match: true });
    const m = idFromSeed(9); // someone in the middle, or another member
    expect(checkVerifyCode(verifyCode(m, A), { me: A, them: B })).toEqual({
      match: false,
      reasons: ['their-key'],
    });
    expect(checkVerifyCode(verifyCode(B, m), { me: A, them: B })).toEqual({
      match: false,
      reasons: ['my-key'],
    });
    expect(checkVerifyCode(verifyCode(m, B), { me: A, them: B })).toEqual({
      match: false,
      reasons: ['their-key', 'my-key'],
    });
    // Scanning one's own screen is no check at all.
    expect(checkVerifyCode(verifyCode(A, B), { me: A, them: B }).match).toBe(false);
  });

  it('throws rather than answering for a code that is not a key code', () => {
    expect(codeOf(() => checkVerifyCode('hello', { me: A, them: B }))).toBe('not-verify-code');
  });

  it('throws HearthErrors with plain words, the technical reason kept in detail', () => {
    try {
      parseVerifyCode(`hearth-verify:1:${A}`);
      expect.unreachable();
    } catch (e) {
      expect(isHearthError(e)).toBe(true);
      const err = e as FingerprintError;
      expect(err.message).toMatch(/^This key code is damaged\./);
      expect(err.detail).toBe('3 fields, expected 4');
    }
  });
});
