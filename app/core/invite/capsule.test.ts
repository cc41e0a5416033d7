import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../crypto/bytes.ts';
import {
  type GroupKey,
  generateGroupId,
  generateGroupKey,
  generateSigningKeyPair,
  memberIdOf,
  type SigningSecretKey,
} from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealed.ts';
import {
  type CapsuleContents,
  deriveCapsuleKeys,
  generateInviteSecret,
  openCapsule,
  sealCapsule,
} from './capsule.ts';
import { InviteError, type InviteErrorCode } from './invite.ts';

const NOW = Date.UTC(2026, 0, 1);
const ann = generateSigningKeyPair();
const contents: CapsuleContents = {
  groupKey: generateGroupKey(),
  groupId: generateGroupId(),
  inviterId: memberIdOf(ann.publicKey),
  expiresAt: NOW + 7 * 86_400_000,
  groupName: 'Garden club 🌱',
  inviterName: 'Ann',
  relays: ['wss://relay.example/signal'],
};

function codeOf(f: () => unknown): InviteErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof InviteError) return e.code;
    throw e;
  }
}

describe('capsule keys', () => {
  it('derives a room id and key from the secret, fixed for a fixed secret', () => {
    const secret = new Uint8Array(16).map((_, i) => i);
    const keys = deriveCapsuleKeys(secret);
    expect(keys.room).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
    expect(keys.key.length).toBe(32);
    expect(deriveCapsuleKeys(secret.slice())).toEqual(keys);
    expect(deriveCapsuleKeys(generateInviteSecret()).room).not.toBe(keys.room);
    expect(codeOf(() => deriveCapsuleKeys(new Uint8Array(15)))).toBe('bad-key');
  });
});

describe('sealCapsule / openCapsule', () => {
  const keys = deriveCapsuleKeys(generateInviteSecret());

  it('round-trips every field and stays small', () => {
    const sealed = sealCapsule(contents, ann.secretKey, keys);
    expect(sealed.length).toBeLessThan(300);
    expect(openCapsule(sealed, keys, NOW)).toEqual(contents);
  });

  it('refuses a capsule past its signed expiry, whatever the relay says', () => {
    const sealed = sealCapsule(contents, ann.secretKey, keys);
    expect(codeOf(() => openCapsule(sealed, keys, contents.expiresAt))).toBe('gone');
    expect(codeOf(() => openCapsule(sealed, keys, contents.expiresAt - 1))).toBe('ok');
  });

  it('refuses a capsule changed on the way, or sealed for another link', () => {
    const sealed = sealCapsule(contents, ann.secretKey, keys);
    for (let i = 0; i < sealed.length; i += 7) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(['tampered', 'unknown-version']).toContain(codeOf(() => openCapsule(bad, keys, NOW)));
    }
    expect(codeOf(() => openCapsule(sealed.subarray(0, 30), keys, NOW))).toBe('tampered');
    const other = deriveCapsuleKeys(generateInviteSecret());
    expect(codeOf(() => openCapsule(sealed, other, NOW))).toBe('tampered');
  });

  it('refuses a capsule moved to another room by someone holding both keys', () => {
    // The signature covers the room: re-sealing the same signed bytes for another link fails.
    const other = deriveCapsuleKeys(generateInviteSecret());
    const plain = open(keys.key, sealCapsule(contents, ann.secretKey, keys));
    const moved = seal(other.key, plain);
    expect(codeOf(() => openCapsule(moved, other, NOW))).toBe('tampered');
  });

  it('refuses contents whose signature is not by the named inviter', () => {
    const plain = open(keys.key, sealCapsule(contents, ann.secretKey, keys));
    // Claim Bob as the inviter without his key: the signature no longer matches.
    const bob = generateSigningKeyPair();
    const forged = plain.slice();
    forged.set(bob.publicKey, 49);
    expect(codeOf(() => openCapsule(seal(keys.key, forged), keys, NOW))).toBe('tampered');
    // A longer expiry, re-sealed by a link holder, breaks the signature too.
    const extended = plain.slice();
    extended[81]! += 1;
    expect(codeOf(() => openCapsule(seal(keys.key, extended), keys, NOW))).toBe('tampered');
  });

  it('does not seal what it could not open again', () => {
    const mallory = generateSigningKeyPair();
    expect(codeOf(() => sealCapsule(contents, mallory.secretKey, keys))).toBe('bad-field');
    expect(
      codeOf(() =>
        sealCapsule({ ...contents, groupKey: new Uint8Array(32) as GroupKey }, ann.secretKey, keys),
      ),
    ).toBe('bad-key');
    expect(codeOf(() => sealCapsule({ ...contents, groupName: ' ' }, ann.secretKey, keys))).toBe(
      'bad-field',
    );
    expect(
      codeOf(() => sealCapsule({ ...contents, relays: ['http://x'] }, ann.secretKey, keys)),
    ).toBe('bad-field');
    expect(
      codeOf(() =>
        sealCapsule(
          { ...contents, groupId: toBase64Url(new Uint8Array(3)) as CapsuleContents['groupId'] },
          ann.secretKey,
          keys,
        ),
      ),
    ).toBe('bad-field');
    expect(codeOf(() => sealCapsule(contents, new Uint8Array(64) as SigningSecretKey, keys))).toBe(
      'bad-field',
    );
  });
});
