// The relay's invite capsules as the app sees them: put one, open one (which counts a use),
// ask how one stands, withdraw one. One interface for the HTTP adapter and the in-memory
// stand-in; failures are InviteErrors ('gone', 'unreachable', 'refused', 'not-allowed').

/** How a capsule stands on its relay. */
export interface CapsuleStatus {
  readonly expiresAt: number;
  /** 0: no limit. */
  readonly maxUses: number;
  readonly uses: number;
}

export interface InviteRelay {
  /** Stores a capsule: `body` is a signed create request (inviteWire.encodeCreate). */
  put(room: string, body: Uint8Array): Promise<void>;
  /** The sealed capsule, counting one use; InviteError('gone') when there is none. */
  open(room: string): Promise<Uint8Array>;
  /** Expiry and uses, counting nothing; null when the capsule is gone. */
  status(room: string): Promise<CapsuleStatus | null>;
  /** Withdraws a capsule: `body` is a signed withdrawal (inviteWire.encodeRevoke). */
  revoke(room: string, body: Uint8Array): Promise<void>;
}
