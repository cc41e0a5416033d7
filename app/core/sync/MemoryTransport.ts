// Live sync inside one process: every started transport on a hub exchanges its document
// with the others, as WebRTC peers would. For tests of everything above the transport.
import * as Y from 'yjs';
import { Listeners, type Transport, type TransportStatus } from './Transport.ts';

export class MemoryHub {
  private readonly members = new Set<MemoryTransport>();

  transport(doc: Y.Doc): MemoryTransport {
    return new MemoryTransport(this, doc);
  }

  /** @internal */
  join(t: MemoryTransport): void {
    for (const other of this.members) {
      Y.applyUpdate(t.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(t.doc)), t);
      Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(t.doc, Y.encodeStateVector(other.doc)), other);
    }
    this.members.add(t);
    this.announce();
  }

  /** @internal */
  leave(t: MemoryTransport): void {
    if (this.members.delete(t)) this.announce();
  }

  /** @internal */
  relay(from: MemoryTransport, update: Uint8Array): void {
    for (const other of this.members) {
      if (other !== from) Y.applyUpdate(other.doc, update, other);
    }
  }

  private announce(): void {
    for (const m of this.members) m.setPeers(this.members.size - 1);
  }
}

export class MemoryTransport implements Transport {
  private current: TransportStatus = { state: 'disconnected', peers: 0 };
  private readonly listeners = new Listeners<TransportStatus>();
  private started = false;
  private destroyed = false;

  constructor(
    private readonly hub: MemoryHub,
    readonly doc: Y.Doc,
  ) {}

  get status(): TransportStatus {
    return this.current;
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    return this.listeners.add(cb);
  }

  start(): void {
    if (this.started || this.destroyed) return;
    this.started = true;
    this.doc.on('update', this.onUpdate);
    this.set({ state: 'connected', peers: 0 });
    this.hub.join(this);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.doc.off('update', this.onUpdate);
    this.hub.leave(this);
    this.set({ state: 'disconnected', peers: 0 });
  }

  destroy(): void {
    this.stop();
    this.destroyed = true;
    this.listeners.clear();
  }

  /** @internal */
  setPeers(peers: number): void {
    if (this.started) this.set({ state: 'connected', peers });
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== this) this.hub.relay(this, update);
  };

  private set(next: TransportStatus): void {
    if (next.state === this.current.state && next.peers === this.current.peers) return;
    this.current = next;
    this.listeners.emit(next);
  }
}
