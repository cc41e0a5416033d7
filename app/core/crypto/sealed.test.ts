import { describe, expect, it } from 'vitest';
import { utf8 } from './bytes.ts';
import { deriveStoreKey, generateGroupKey } from './keys.ts';
import { open, SEALED_VERSION, SealedBlobError, seal } from './sealed.ts';

const key = deriveStoreKey(generateGroupKey());
const msg = utf8('hello, hearth');

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SealedBlobError) return e.code;
    throw e;
  }
  return 'no-error';
}

describe('sealed blob v1', () => {
  it('round-trips and leads with the version byte and a fresh nonce', () => {
    const a = seal(key, msg);
    const b = seal(key, msg);
    expect(a[0]).toBe(SEALED_VERSION);
    expect(a.length).toBe(1 + 24 + 16 + msg.length);
    expect(a.subarray(1, 25)).not.toEqual(b.subarray(1, 25));
    expect(open(key, a)).toEqual(msg);
  });
  it('rejects a wrong key', () => {
    expect(code(() => open(deriveStoreKey(generateGroupKey()), seal(key, msg)))).toBe(
      'auth-failed',
    );
  });
  it('rejects any flipped bit', () => {
    const blob = seal(key, msg);
    for (let i = 1; i < blob.length; i++) {
      const t = blob.slice();
      t[i]! ^= 1 << (i % 8);
      expect(code(() => open(key, t))).toBe('auth-failed');
    }
  });
  it('rejects truncation', () => {
    const blob = seal(key, msg);
    expect(code(() => open(key, blob.subarray(0, 0)))).toBe('truncated');
    expect(code(() => open(key, blob.subarray(0, 30)))).toBe('truncated');
    expect(code(() => open(key, blob.subarray(0, blob.length - 1)))).toBe('auth-failed');
  });
  it('rejects an unknown version', () => {
    const blob = seal(key, msg);
    blob[0] = 2;
    expect(code(() => open(key, blob))).toBe('unknown-version');
  });
});
