// The storage contract behind invite capsules, apart from the mailbox's: a capsule lives for
// days, is read by whoever holds its link, and must be really gone once expired, withdrawn or
// used up. Methods are async so another backend could sit beside the SQLite one.

export interface PutInviteInput {
  room: string;
  capsule: Uint8Array;
  revokers: readonly Uint8Array[];
  expiresAt: number;
  maxUses: number;
  /** The relay's clock (ms). */
  now: number;
}

export type PutInviteResult = { ok: true } | { ok: false; code: 'exists' | 'quota' };

export type OpenInviteResult = { ok: true; capsule: Uint8Array } | { ok: false; code: 'gone' };

export type RevokeInviteResult = { ok: true } | { ok: false; code: 'gone' | 'not-allowed' };

export interface InviteStatus {
  expiresAt: number;
  maxUses: number;
  uses: number;
}

export interface InviteStore {
  /**
   * Stores a capsule unless the room holds one, or held one that has not expired yet (a
   * withdrawn capsule cannot be put back by replaying its create request), or `maxLive` rooms
   * are taken.
   */
  put(input: PutInviteInput, maxLive: number): Promise<PutInviteResult>;
  /** Returns the capsule and counts a use; the last allowed use deletes it. */
  open(room: string, now: number): Promise<OpenInviteResult>;
  status(room: string, now: number): Promise<InviteStatus | null>;
  /** Deletes the capsule if `revoker` is one of its revokers. */
  revoke(room: string, revoker: Uint8Array, now: number): Promise<RevokeInviteResult>;
  /** Forgets every room whose expiry has passed; returns how many. */
  prune(now: number): Promise<number>;
  close(): Promise<void>;
}

/** Whether `key` is one of the 32-byte keys laid end to end in `revokers`. */
export function isRevoker(revokers: Buffer, key: Uint8Array): boolean {
  for (let o = 0; o + 32 <= revokers.length; o += 32) {
    if (revokers.subarray(o, o + 32).equals(key)) return true;
  }
  return false;
}
