// Live sync of one Y.Doc with whoever is online at the same moment (WebRTC in the browser,
// an in-process hub in tests). The status says only what is known: how many peers are
// connected right now, not whether anyone is "synced".
import { Emitter } from '../util/Emitter.ts';

export type TransportState = 'connecting' | 'connected' | 'disconnected';

export interface TransportStatus {
  readonly state: TransportState;
  /** Peers with an open connection right now. */
  readonly peers: number;
  /**
   * Whether the relay's signaling connection is up right now; absent for transports without
   * a relay. Peers can stay connected while the relay is down, so this is tracked apart.
   */
  readonly signaling?: boolean;
  /**
   * Whether the screen showing this group is in view (the page is visible); absent where the
   * transport cannot tell. The mailbox is polled more often while it is and nobody is live.
   */
  readonly visible?: boolean;
}

/**
 * What the relay says on the signaling connection after a mailbox write to this room: its
 * mailbox holds entries up to `seq`. No content; the app pulls if its cursor is behind.
 */
export interface MailboxNotice {
  readonly seq: number;
}

/**
 * `type` of that notice's frame on the signaling socket: `{"type": MAILBOX_NOTICE_TYPE,
 * "topic": <room>, "seq": N}` (docs/PROTOCOL.md). Plain y-webrtc clients ignore it.
 */
export const MAILBOX_NOTICE_TYPE = 'hearth-mailbox';

/**
 * Who is here right now, peer to peer (y-webrtc's awareness): each device's small state goes
 * only to connected peers, over their encrypted channels; never to the relay, never into the
 * group's Y.Doc. What a peer claims is checked by the reader (presence/GroupPresence.ts).
 */
export interface PresenceChannel {
  /** What this device tells its peers; null says nothing. */
  setLocal(state: Readonly<Record<string, unknown>> | null): void;
  /** The latest state of every peer connected now (this device's own excluded). */
  states(): unknown[];
  /** Calls `cb` when a peer's state appears, changes or goes. */
  onChange(cb: () => void): () => void;
}

export interface Transport {
  readonly status: TransportStatus;
  /** Live presence, for transports that have it. */
  readonly presence?: PresenceChannel;
  start(): void;
  /** Disconnects; start() connects again. */
  stop(): void;
  /** Disconnects for good and releases everything. */
  destroy(): void;
  onStatus(cb: (status: TransportStatus) => void): () => void;
  /** Notices of new mailbox entries, for transports that talk to a relay. */
  onMailboxNotice?(cb: (notice: MailboxNotice) => void): () => void;
}

/**
 * The core's one listener policy (util/Emitter.ts: a throwing listener neither stops the
 * others nor the emitter, and its error is reported), under the `add` name sync code uses.
 */
export class Listeners<T> extends Emitter<T> {
  add(cb: (value: T) => void): () => void {
    return this.on(cb);
  }
}
