// Live sync over WebRTC with y-webrtc, signaled only through the group's own relays and
// using only the ICE servers the relay's /config gave us: the library's public signaling
// and STUN defaults must never be reached, so every option is passed explicitly.
//
// Peers hold the group key but are not trusted: y-webrtc applies what a peer sends straight
// to the Y.Doc, so every message from a peer's data channel passes admitPeerMessage first
// (each update through checkUpdate, the mailbox's own gate) and is dropped unless it passes.
// The check sits in front of y-webrtc's own 'data' listener on each connection, which it
// replaces as soon as the provider announces the connection, before any data can arrive.
// (BroadcastChannel messages come only from this app's other tabs on this device.)
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { RoomId, SignalingSecret } from '../core/crypto/keys.ts';
import { checkUpdate, DEFAULT_UPDATE_LIMITS, type UpdateLimits } from '../core/sync/checkUpdate.ts';
import {
  Listeners,
  MAILBOX_NOTICE_TYPE,
  type MailboxNotice,
  type PresenceChannel,
  type Transport,
  type TransportStatus,
} from '../core/sync/Transport.ts';

/** The simple-peer side of a y-webrtc connection, as far as guarding its messages needs. */
export interface PeerLike {
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeListener(event: 'data', fn: (data: Uint8Array) => void): unknown;
  on(event: 'data', fn: (data: Uint8Array) => void): unknown;
  destroy(): void;
}

/** y-webrtc's connection to one peer. */
export interface PeerConnLike {
  readonly connected: boolean;
  readonly peer?: PeerLike;
}

/** y-protocols' Awareness, as far as presence needs it. */
export interface AwarenessLike {
  readonly clientID: number;
  setLocalState(state: Readonly<Record<string, unknown>> | null): void;
  getStates(): Map<number, unknown>;
  on(event: 'change', cb: () => void): void;
  off(event: 'change', cb: () => void): void;
}

/** The part of y-webrtc's provider this transport relies on. */
export interface ProviderLike {
  /** Sent only to connected peers, over their data channels (and this device's other tabs). */
  readonly awareness?: AwarenessLike;
  on(event: 'status' | 'peers' | 'synced', cb: (...args: unknown[]) => void): void;
  off(event: 'status' | 'peers' | 'synced', cb: (...args: unknown[]) => void): void;
  connect(): void;
  disconnect(): void;
  destroy(): void;
  readonly room: { readonly webrtcConns: Map<string, PeerConnLike> } | null;
  readonly signalingConns: readonly SignalingConnLike[];
}

/**
 * y-webrtc's signaling socket: it reconnects by itself and says so with these events, and
 * 'message' hands over every frame the relay sends, parsed (y-webrtc acts only on 'publish').
 */
export interface SignalingConnLike {
  readonly connected: boolean;
  on?(event: 'connect' | 'disconnect' | 'message', cb: (message?: unknown) => void): void;
  off?(event: 'connect' | 'disconnect' | 'message', cb: (message?: unknown) => void): void;
}

export { MAILBOX_NOTICE_TYPE };

/** The notice in a signaling frame for `roomId`, or null for any other frame. */
export function mailboxNoticeOf(message: unknown, roomId: string): MailboxNotice | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== MAILBOX_NOTICE_TYPE || m.topic !== roomId) return null;
  const seq = m.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? { seq } : null;
}

/** Whether the page is in view, and when that changes; the document's by default. */
export interface PageVisibility {
  visible(): boolean;
  onChange(cb: () => void): () => void;
}

const documentVisibility: PageVisibility | null =
  typeof document === 'undefined'
    ? null
    : {
        visible: () => document.visibilityState === 'visible',
        onChange: (cb) => {
          document.addEventListener('visibilitychange', cb);
          return () => document.removeEventListener('visibilitychange', cb);
        },
      };

export interface ProviderOptions {
  readonly signaling: string[];
  readonly password: string;
  readonly maxConns: number;
  readonly filterBcConns: boolean;
  /** A note's cursors and names; y-webrtc makes one of its own when absent. */
  readonly awareness?: Awareness;
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
  /** Limits for updates from peers, over checkUpdate's defaults (the mailbox uses the same). */
  readonly updateLimits?: Partial<UpdateLimits>;
  /**
   * Presence to share with live peers (a note's cursors). It travels only inside the
   * encrypted WebRTC channels and the password-sealed signaling, like the document's updates.
   */
  readonly awareness?: Awareness;
  /** Where `visible` in the status comes from; the document's visibility by default. */
  readonly visibility?: PageVisibility | null;
}

// y-webrtc's message types, and y-protocols' sync steps inside a sync message.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Room for y-webrtc's framing around an update. */
const FRAMING_BYTES = 32;

/**
 * Whether y-webrtc may handle a message from a peer. Sync messages must be well formed and
 * carry an update that passes checkUpdate (or a state vector); awareness messages pass within
 * the size cap; everything else is dropped, including the BroadcastChannel-only peer-id
 * message, which a peer could otherwise use to make this device ignore others' signaling.
 */
export function admitPeerMessage(data: Uint8Array, limits: Partial<UpdateLimits> = {}): boolean {
  const maxBytes = limits.maxBytes ?? DEFAULT_UPDATE_LIMITS.maxBytes;
  if (!(data instanceof Uint8Array) || data.length > maxBytes + FRAMING_BYTES) return false;
  try {
    const d = decoding.createDecoder(data);
    // lib0's array reader bounds-checks against the whole buffer, not this view: check here.
    const bytes = (): Uint8Array => {
      const n = decoding.readVarUint(d);
      if (n > data.length - d.pos) throw new RangeError('cut short');
      d.pos += n;
      return data.subarray(d.pos - n, d.pos);
    };
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(d);
      const payload = bytes();
      if (decoding.hasContent(d)) return false;
      if (step === SYNC_STEP1) {
        Y.decodeStateVector(payload);
        return true;
      }
      return (step === SYNC_STEP2 || step === SYNC_UPDATE) && checkUpdate(payload, limits).ok;
    }
    if (type === MESSAGE_AWARENESS) bytes();
    else if (type !== MESSAGE_QUERY_AWARENESS) return false;
    return !decoding.hasContent(d);
  } catch {
    return false;
  }
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
  private readonly notices = new Listeners<MailboxNotice>();
  private readonly presenceListeners = new Listeners<void>();
  private presenceState: Readonly<Record<string, unknown>> | null = null;
  private readonly visibility: PageVisibility | null;
  private offVisibility: (() => void) | null = null;
  private started = false;
  private destroyed = false;
  private poll: ReturnType<typeof setInterval> | null = null;
  private readonly watched = new Set<SignalingConnLike>();
  private readonly providerOptions: ProviderOptions;
  private readonly createProvider: ProviderFactory;
  private readonly guarded = new WeakSet<PeerLike>();
  private rejected = 0;

  constructor(private readonly options: WebrtcTransportOptions) {
    this.providerOptions = {
      signaling: options.signalingUrls.filter(isSignalingUrl),
      password: options.signalingSecret,
      maxConns: options.maxConns ?? 20,
      filterBcConns: true,
      ...(options.awareness ? { awareness: options.awareness } : {}),
      peerOpts: { config: { iceServers: options.iceServers.map((s) => ({ ...s })) } },
    };
    this.createProvider = options.createProvider ?? defaultFactory;
    this.visibility = options.visibility === undefined ? documentVisibility : options.visibility;
  }

  /** The y-webrtc provider once started (for awareness later), else null. */
  get provider(): ProviderLike | null {
    return this.instance;
  }

  get status(): TransportStatus {
    return this.current;
  }

  /**
   * Presence through y-webrtc's awareness: states travel only over the peers' encrypted data
   * channels, never in a signaling frame the relay could read.
   */
  readonly presence: PresenceChannel = {
    setLocal: (state) => {
      this.presenceState = state;
      this.instance?.awareness?.setLocalState(state);
    },
    states: () => {
      const a = this.instance?.awareness;
      if (!a || !this.started) return [];
      return [...a.getStates()].filter(([id]) => id !== a.clientID).map(([, s]) => s);
    },
    onChange: (cb) => this.presenceListeners.add(cb),
  };

  private readonly onAwareness = () => this.presenceListeners.emit();

  /** Messages from peers dropped by admitPeerMessage since this transport started. */
  get rejectedMessages(): number {
    return this.rejected;
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    return this.listeners.add(cb);
  }

  onMailboxNotice(cb: (notice: MailboxNotice) => void): () => void {
    return this.notices.add(cb);
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
      // First, so a new connection is guarded before anything else hears of it.
      this.instance.on('peers', this.guardPeers);
      for (const e of ['status', 'peers', 'synced'] as const) this.instance.on(e, this.refresh);
      this.instance.awareness?.on('change', this.onAwareness);
    }
    // Only presence's own state is put back: a note's awareness (its editors' cursors) is
    // the caller's, and clearing it here would hide this member's cursor from the others.
    if (this.presenceState !== null) this.instance.awareness?.setLocalState(this.presenceState);
    this.watchSignaling(this.instance);
    this.poll = setInterval(this.refresh, this.options.pollMs ?? 2000);
    this.offVisibility ??= this.visibility?.onChange(this.refresh) ?? null;
    this.refresh();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
    this.offVisibility?.();
    this.offVisibility = null;
    this.instance?.disconnect();
    this.refresh();
    this.presenceListeners.emit();
  }

  destroy(): void {
    this.stop();
    this.destroyed = true;
    if (this.instance) {
      this.instance.off('peers', this.guardPeers);
      for (const e of ['status', 'peers', 'synced'] as const) this.instance.off(e, this.refresh);
      this.instance.awareness?.off('change', this.onAwareness);
      for (const conn of this.watched) {
        conn.off?.('connect', this.refresh);
        conn.off?.('disconnect', this.refresh);
        conn.off?.('message', this.onSignalingMessage);
      }
      this.watched.clear();
      this.instance.destroy();
      this.instance = null;
    }
    this.listeners.clear();
    this.notices.clear();
    this.presenceListeners.clear();
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
      conn.on?.('message', this.onSignalingMessage);
    }
  }

  /**
   * A signaling socket may serve several groups (y-webrtc shares one per relay URL), so only
   * this room's notices are passed on, and only while started.
   */
  private readonly onSignalingMessage = (message: unknown) => {
    if (!this.started) return;
    const notice = mailboxNoticeOf(message, this.options.roomId);
    if (notice) this.notices.emit(notice);
  };

  /** Puts admitPeerMessage in front of y-webrtc's handler on every connection not yet guarded. */
  private readonly guardPeers = () => {
    for (const conn of this.instance?.room?.webrtcConns.values() ?? []) {
      const peer = conn.peer;
      if (!peer || this.guarded.has(peer)) continue;
      this.guarded.add(peer);
      const handlers = peer.listeners('data');
      const deliver = handlers[0];
      if (handlers.length !== 1 || !deliver) {
        // Not the wiring this guard knows (another y-webrtc version?): refuse the peer rather
        // than let its messages through unchecked.
        peer.destroy();
        continue;
      }
      peer.removeListener('data', deliver);
      peer.on('data', (data: Uint8Array) => {
        if (admitPeerMessage(data, this.options.updateLimits)) deliver(data);
        else this.rejected++;
      });
    }
  };

  private readonly refresh = () => {
    this.guardPeers();
    const next = this.compute();
    if (
      next.state === this.current.state &&
      next.peers === this.current.peers &&
      next.signaling === this.current.signaling &&
      next.visible === this.current.visible
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
    const seen = this.visibility ? { visible: this.visibility.visible() } : {};
    if (peers > 0 || signaling) return { state: 'connected', peers, signaling, ...seen };
    return {
      state: this.providerOptions.signaling.length > 0 ? 'connecting' : 'disconnected',
      peers,
      signaling,
      ...seen,
    };
  }
}
