import { afterEach, describe, expect, it, vi } from 'vitest';
import { utf8 } from './bytes.ts';
import { deriveStoreKey, generateGroupKey } from './keys.ts';
import { LOCAL_SEALED_VERSION, localSealer } from './localSealed.ts';
import { SEALED_VERSION, SealedBlobError, seal } from './sealed.ts';

const key = deriveStoreKey(generateGroupKey());
const msg = utf8('a snapshot of the group');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SealedBlobError);
    return (e as SealedBlobError).code;
  }
  throw new Error('expected a SealedBlobError');
}

describe('localSealer', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('seals as v2 (AES-GCM) and opens what it sealed', async () => {
    const s = localSealer(key);
    const blob = await s.seal(msg);
    expect(blob[0]).toBe(LOCAL_SEALED_VERSION);
    expect(blob.length).toBe(1 + 12 + msg.length + 16);
    expect(await s.open(blob)).toEqual(msg);
    // A fresh IV each time: the same text never seals to the same bytes.
    expect(await s.seal(msg)).not.toEqual(blob);
  });

  it('still opens v1 rows written before (secretbox)', async () => {
    const old = seal(key, msg);
    expect(old[0]).toBe(SEALED_VERSION);
    expect(await localSealer(key).open(old)).toEqual(msg);
  });

  it('refuses a tampered, truncated, foreign or unknown blob with a typed error', async () => {
    const s = localSealer(key);
    const blob = await s.seal(msg);
    for (const at of [1, 12, 20, blob.length - 1]) {
      const bad = blob.slice();
      bad[at]! ^= 1;
      expect(await codeOf(s.open(bad))).toBe('auth-failed');
    }
    expect(await codeOf(localSealer(deriveStoreKey(generateGroupKey())).open(blob))).toBe(
      'auth-failed',
    );
    expect(await codeOf(s.open(blob.subarray(0, 20)))).toBe('truncated');
    const unknown = blob.slice();
    unknown[0] = 0x07;
    expect(await codeOf(s.open(unknown))).toBe('unknown-version');
  });

  it('writes v1 where the page has no WebCrypto, and says why a v2 row cannot open there', async () => {
    const v2 = await localSealer(key).seal(msg);
    vi.stubGlobal('crypto', undefined);
    const s = localSealer(key);
    const blob = await s.seal(msg);
    expect(blob[0]).toBe(SEALED_VERSION);
    expect(await s.open(blob)).toEqual(msg);
    expect(await codeOf(s.open(v2))).toBe('no-webcrypto');
  });
});
