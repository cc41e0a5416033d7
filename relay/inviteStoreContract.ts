// The behaviour every InviteStore must show, as a vitest suite a backend's test file runs with
// its own factory (SQLite and PostgreSQL), beside the HTTP tests in invites.test.ts.
import { describe, expect, it } from 'vitest';
import type { InviteStore, PutInviteInput } from './inviteStore.ts';

const A = new Uint8Array(32).fill(1);
const B = new Uint8Array(32).fill(2);
const NOW = 1_000_000;

function capsule(room: string, extra: Partial<PutInviteInput> = {}): PutInviteInput {
  return {
    room,
    capsule: new Uint8Array([1, 2, 3]),
    revokers: [A],
    expiresAt: NOW + 1000,
    maxUses: 0,
    now: NOW,
    ...extra,
  };
}

export function inviteStoreContract(name: string, open: () => Promise<InviteStore>): void {
  describe(`InviteStore contract: ${name}`, () => {
    it('stores, reports and opens a capsule, counting uses up to the last', async () => {
      const s = await open();
      expect(await s.put(capsule('r', { maxUses: 2 }), 10)).toEqual({ ok: true });
      expect(await s.put(capsule('r'), 10)).toEqual({ ok: false, code: 'exists' });
      expect(await s.status('r', NOW)).toEqual({ expiresAt: NOW + 1000, maxUses: 2, uses: 0 });
      expect(await s.open('r', NOW)).toEqual({ ok: true, capsule: new Uint8Array([1, 2, 3]) });
      expect(await s.status('r', NOW)).toMatchObject({ uses: 1 });
      expect(await s.open('r', NOW)).toMatchObject({ ok: true });
      expect(await s.open('r', NOW)).toEqual({ ok: false, code: 'gone' });
      expect(await s.status('r', NOW)).toBeNull();
      // Used up but not expired: replaying the create request cannot bring it back.
      expect(await s.put(capsule('r'), 10)).toEqual({ ok: false, code: 'exists' });
      expect(await s.open('unknown', NOW)).toEqual({ ok: false, code: 'gone' });
      await s.close();
    });

    it('lets only a revoker withdraw, and forgets what expired', async () => {
      const s = await open();
      await s.put(capsule('r', { revokers: [A, B] }), 10);
      expect(await s.revoke('r', new Uint8Array(32).fill(3), NOW)).toEqual({
        ok: false,
        code: 'not-allowed',
      });
      expect(await s.revoke('r', B, NOW)).toEqual({ ok: true });
      expect(await s.open('r', NOW)).toEqual({ ok: false, code: 'gone' });
      expect(await s.revoke('r', A, NOW)).toEqual({ ok: false, code: 'gone' });
      await s.put(capsule('later', { expiresAt: NOW + 5000 }), 10);
      expect(await s.open('later', NOW + 5000)).toEqual({ ok: false, code: 'gone' });
      expect(await s.prune(NOW + 1000)).toBe(1);
      // Once expired and forgotten, the room can hold a new capsule.
      expect(await s.put(capsule('r', { now: NOW + 2000, expiresAt: NOW + 9000 }), 10)).toEqual({
        ok: true,
      });
      await s.close();
    });

    it('caps the rooms it holds', async () => {
      const s = await open();
      expect(await s.put(capsule('a'), 2)).toEqual({ ok: true });
      expect(await s.put(capsule('b'), 2)).toEqual({ ok: true });
      expect(await s.put(capsule('c'), 2)).toEqual({ ok: false, code: 'quota' });
      expect(await s.prune(NOW + 1000)).toBe(2);
      expect(await s.put(capsule('c', { now: NOW + 1000, expiresAt: NOW + 2000 }), 2)).toEqual({
        ok: true,
      });
      await s.close();
    });
  });
}
