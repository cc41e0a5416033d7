import { describe, expect, it } from 'vitest';
import { createIdentity } from '../identity/Identity.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { signedText, signRecord } from './canonical.ts';
import { VerifiedCache } from './VerifiedCache.ts';
import { nobleBackend, type SignatureBackend, type SignatureCheck, Verifier } from './Verifier.ts';

function counting(): SignatureBackend & { calls: number } {
  const b = {
    name: 'counting',
    calls: 0,
    async verifyAll(checks: Parameters<SignatureBackend['verifyAll']>[0]) {
      b.calls += checks.length;
      return nobleBackend.verifyAll(checks);
    },
  };
  return b;
}

const ann = createIdentity('Ann');
const GROUP = 'g'.repeat(22);
const check = (fields: object): SignatureCheck => {
  const r = signRecord(ann, GROUP, fields);
  return { signer: ann.id, text: signedText(GROUP, r), sig: r.sig };
};

describe('VerifiedCache', () => {
  it('lets a new session skip checks that passed in an earlier one, never bad ones', async () => {
    const storage = new MemoryStorage();
    const good = check({ kind: 'x', n: 1 });
    const bad = { ...check({ kind: 'x', n: 2 }), text: 'tampered' };

    const first = counting();
    const cache1 = await VerifiedCache.load(storage, 60_000);
    expect(await new Verifier(first, cache1).verify([good, bad])).toEqual([true, false]);
    expect(first.calls).toBe(2);
    await cache1.flush();

    const second = counting();
    const cache2 = await VerifiedCache.load(storage, 60_000);
    expect(cache2.size).toBe(1);
    expect(await new Verifier(second, cache2).verify([good, bad])).toEqual([true, false]);
    expect(second.calls).toBe(1); // only the bad one was checked again
  });

  it('treats damaged stored data as an empty cache', async () => {
    const storage = new MemoryStorage();
    await storage.save(['verified'], new Uint8Array([0xff, 0xfe, 0x00]));
    const cache = await VerifiedCache.load(storage);
    expect(cache.size).toBe(0);
  });
});
