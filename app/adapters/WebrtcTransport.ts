// Live sync over WebRTC with y-webrtc, signaled only through the group's own relays and
// using only the ICE servers the relay's /config gave us: the library's public signaling
// and STUN defaults must never be reached, so every option is passed explicitly.
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import type { RoomId, SignalingSecret } from '../core/crypto/keys.ts';
import { Listeners, type Transport, type TransportStatus } from '../core/sync/Transport.ts';

/** The part of y-webrtc's provider this transport relies on. */
export interface ProviderLike {
  on(event: 'status' | 'peers' | 'synced', cb: (...args: unknown[]) => void): void;
  off(event: 'status' | 'peers' | 'synced', cb: (...args: unknown[]) => void): void;
  connect(): void;
  disconnect(): void;
  destroy(): void;
  readonly room: { readonly webrtcConns: Map<string, { readonly connected: boolean }> } | null;
  readonly signalingConns: readonly SignalingConnLike[];
}

/** y-webrtc's signaling socket: it reconnects by itself and says so with these events. */
export interface SignalingConnLike {
  readonly connected: boolean;
  on?(event: 'connect' | 'disconnect', cb: () => void): void;
  off?(event: 'connect' | 'disconnect', cb: () => void): void;
}

export interface ProviderOptions {
  readonly signaling: string[];
  readonly password: string;
  readonly maxConns: number;
  readonly filterBcConns: boolean;
  readonly peerOpts: { readonly config: { readonly iceServers: RTCIceServer[] } };
}

export type ProviderFactory = (
  roomId: string,
  doc: Y.Doc,
  options: ProviderOptions,
) => ProviderLike;

export interface WebrtcTransportOptions {
  readonly roomId: RoomId;
  readonly doc: Y.Doc;
  /** The group's relay signaling URLs (ws:// or wss://); others are ignored. */
  readonly signalingUrls: readonly string[];
  readonly signalingSecret: SignalingSecret;
  /** From the relay's /config; [] works on a single local network. */
  readonly iceServers: readonly RTCIceServer[];
  readonly maxConns?: number;
  /** How often to re-read connection state (y-webrtc has no event for a peer connecting). */
  readonly pollMs?: number;
  readonly createProvider?: ProviderFactory;
}

const defaultFactory: ProviderFactory = (roomId, doc, options) =>
  new WebrtcProvider(roomId, doc, {
    ...options,
    signaling: [...options.signaling],
  }) as unknown as ProviderLike;

const isSignalingUrl = (u: string) => /^wss?:\/\/[^\s]+$/i.test(u);

export class WebrtcTransport implements Transport {
  private instance: ProviderLike | null = null;
  private current: TransportStatus = { state: 'disconnected', peers: 0, signaling: false };
  private readonly listeners = new Listeners<TransportStatus>();
  private started = false;
  private destroyed = false;
  private poll: ReturnType<typeof setInterval> | null = null;
  private readonly watched = new Set<SignalingConnLike>();
  private readonly providerOptions: ProviderOptions;
  private readonly createProvider: ProviderFactory;

  constructor(private readonly options: WebrtcTransportOptions) {
    this.providerOptions = {
      signaling: options.signalingUrls.filter(isSignalingUrl),
      password: options.signalingSecret,
      maxConns: options.maxConns ?? 20,
      filterBcConns: true,
      peerOpts: { config: { iceServers: options.iceServers.map((s) => ({ ...s })) } },
    };
    this.createProvider = options.createProvider ?? defaultFactory;
  }

  /** The y-webrtc provider once started (for awareness later), else null. */
  get provider(): ProviderLike | null {
    return this.instance;
  }

  get status(): TransportStatus {
    return this.current;
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    return this.listeners.add(cb);
  }

  start(): void {
    if (this.started || this.destroyed) return;
    this.started = true;
    if (this.instance) {
      this.instance.connect();
    } else {
      // The provider connects as soon as it exists.
      this.instance = this.createProvider(
        this.options.roomId,
        this.options.doc,
        this.providerOptions,
      );
      for (const e of ['status', 'peers', 'synced'] as const) this.instance.on(e, this.refresh);
    }
    this.watchSignaling(this.instance);
    this.poll = setInterval(this.refresh, this.options.pollMs ?? 2000);
    this.refresh();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
    this.instance?.disconnect();
    this.refresh();
  }

  destroy(): void {
    this.stop();
    this.destroyed = true;
    if (this.instance) {
      for (const e of ['status', 'peers', 'synced'] as const) this.instance.off(e, this.refresh);
      for (const conn of this.watched) {
        conn.off?.('connect', this.refresh);
        conn.off?.('disconnect', this.refresh);
      }
      this.watched.clear();
      this.instance.destroy();
      this.instance = null;
    }
    this.listeners.clear();
  }

  /**
   * The provider emits nothing when its relay goes away or comes back, so listen to the
   * sockets themselves and notice at once rather than at the next poll. Reconnecting after
   * stop() may open new sockets, hence the set.
   */
  private watchSignaling(p: ProviderLike): void {
    for (const conn of p.signalingConns) {
      if (this.watched.has(conn)) continue;
      this.watched.add(conn);
      conn.on?.('connect', this.refresh);
      conn.on?.('disconnect', this.refresh);
    }
  }

  private readonly refresh = () => {
    const next = this.compute();
    if (
      next.state === this.current.state &&
      next.peers === this.current.peers &&
      next.signaling === this.current.signaling
    )
      return;
    this.current = next;
    this.listeners.emit(next);
  };

  private compute(): TransportStatus {
    const p = this.instance;
    if (!this.started || !p) return { state: 'disconnected', peers: 0, signaling: false };
    let peers = 0;
    for (const conn of p.room?.webrtcConns.values() ?? []) if (conn.connected) peers++;
    const signaling = p.signalingConns.some((c) => c.connected);
    if (peers > 0 || signaling) return { state: 'connected', peers, signaling };
    return {
      state: this.providerOptions.signaling.length > 0 ? 'connecting' : 'disconnected',
      peers,
      signaling,
    };
  }
}
