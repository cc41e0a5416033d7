// An in-process stand-in for the relay's invite capsules with the protocol's rules (signed
// create and withdrawal, expiry, uses, one capsule per room until its expiry), so the invite
// flow is tested end to end without a server. Requests go through the real wire format.
import { bytesEqual } from '../crypto/bytes.ts';
import type { CapsuleStatus, InviteRelay } from './InviteRelay.ts';
import { InviteError } from './invite.ts';
import { INVITE_MAX_TTL_MS, InviteWireError, parseCreate, parseRevoke } from './inviteWire.ts';

interface Stored {
  capsule: Uint8Array | null;
  revokers: readonly Uint8Array[];
  expiresAt: number;
  maxUses: number;
  uses: number;
}

const SKEW_MS = 10 * 60_000;

export class MemoryInviteRelay implements InviteRelay {
  /** While true every call fails as if the relay were unreachable. */
  offline = false;
  private readonly rooms = new Map<string, Stored>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  private reachable(): void {
    if (this.offline) throw new InviteError('unreachable', 'memory relay offline');
  }

  private live(room: string): Stored | undefined {
    const s = this.rooms.get(room);
    if (s && s.expiresAt <= this.now()) {
      this.rooms.delete(room);
      return undefined;
    }
    return s?.capsule ? s : undefined;
  }

  async put(room: string, body: Uint8Array): Promise<void> {
    this.reachable();
    let req: ReturnType<typeof parseCreate>;
    try {
      req = parseCreate(room, body);
    } catch (e) {
      if (e instanceof InviteWireError) throw new InviteError('refused', e.message);
      throw e;
    }
    const now = this.now();
    if (req.expiresAt <= now || req.expiresAt > now + INVITE_MAX_TTL_MS + SKEW_MS) {
      throw new InviteError('refused', 'expiry out of range');
    }
    this.live(room);
    if (this.rooms.has(room)) throw new InviteError('refused', 'room taken');
    this.rooms.set(room, {
      capsule: req.capsule,
      revokers: req.revokers,
      expiresAt: req.expiresAt,
      maxUses: req.maxUses,
      uses: 0,
    });
  }

  async open(room: string): Promise<Uint8Array> {
    this.reachable();
    const s = this.live(room);
    if (!s?.capsule) throw new InviteError('gone', 'no capsule');
    const capsule = s.capsule;
    s.uses++;
    if (s.maxUses > 0 && s.uses >= s.maxUses) s.capsule = null;
    return capsule;
  }

  async status(room: string): Promise<CapsuleStatus | null> {
    this.reachable();
    const s = this.live(room);
    return s ? { expiresAt: s.expiresAt, maxUses: s.maxUses, uses: s.uses } : null;
  }

  async revoke(room: string, body: Uint8Array): Promise<void> {
    this.reachable();
    let req: ReturnType<typeof parseRevoke>;
    try {
      req = parseRevoke(room, body);
    } catch (e) {
      if (e instanceof InviteWireError) throw new InviteError('refused', e.message);
      throw e;
    }
    if (Math.abs(req.timestamp - this.now()) > SKEW_MS) throw new InviteError('refused', 'stale');
    const s = this.live(room);
    if (!s) throw new InviteError('gone', 'no capsule');
    if (!s.revokers.some((k) => bytesEqual(k, req.revoker))) {
      throw new InviteError('not-allowed', 'key is not a revoker');
    }
    s.capsule = null;
  }

  /** Test helper: the rooms that still hold a capsule. */
  liveRooms(): string[] {
    return [...this.rooms.keys()].filter((r) => this.live(r));
  }
}
