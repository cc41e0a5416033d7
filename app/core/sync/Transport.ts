// Live sync of one Y.Doc with whoever is online at the same moment (WebRTC in the browser,
// an in-process hub in tests). The status says only what is known: how many peers are
// connected right now, not whether anyone is "synced".

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
}

export interface Transport {
  readonly status: TransportStatus;
  start(): void;
  /** Disconnects; start() connects again. */
  stop(): void;
  /** Disconnects for good and releases everything. */
  destroy(): void;
  onStatus(cb: (status: TransportStatus) => void): () => void;
}

/** A set of callbacks; a throwing listener does not stop the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(cb: (value: T) => void): () => void {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }

  emit(value: T): void {
    for (const cb of [...this.set]) {
      try {
        cb(value);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
