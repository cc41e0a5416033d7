// @vitest-environment node
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebrtcConn, WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { deriveEpochKeys, type GroupId, generateGroupKey } from '../core/crypto/keys.ts';
import { EncryptedDocStore } from '../core/storage/EncryptedDocStore.ts';
import { MemoryStorage } from '../core/storage/MemoryStorage.ts';
import type { TransportStatus } from '../core/sync/Transport.ts';
import {
  admitPeerMessage,
  MAILBOX_NOTICE_TYPE,
  type ProviderFactory,
  type ProviderLike,
  type ProviderOptions,
  type SignalingConnLike,
  WebrtcTransport,
} from './WebrtcTransport.ts';

type Handler = (...args: unknown[]) => void;

class FakeProvider implements ProviderLike {
  readonly handlers = new Map<string, Set<Handler>>();
  room: { webrtcConns: Map<string, { connected: boolean }> } | null = { webrtcConns: new Map() };
  signalingConns: ({ connected: boolean } & Pick<SignalingConnLike, 'on' | 'off'>)[] = [
    { connected: false },
  ];
  calls: string[] = [];
  on(event: string, cb: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(cb);
  }
  off(event: string, cb: Handler) {
    this.handlers.get(event)?.delete(cb);
  }
  emit(event: string) {
    for (const cb of this.handlers.get(event) ?? []) cb({});
  }
  connect() {
    this.calls.push('connect');
  }
  disconnect() {
    this.calls.push('disconnect');
  }
  destroy() {
    this.calls.push('destroy');
  }
}

class FakeSignalingConn implements SignalingConnLike {
  connected = false;
  readonly handlers = new Set<() => void>();
  readonly messageHandlers = new Set<(m?: unknown) => void>();
  on(event: string, cb: (m?: unknown) => void) {
    (event === 'message' ? this.messageHandlers : this.handlers).add(cb);
  }
  off(event: string, cb: (m?: unknown) => void) {
    (event === 'message' ? this.messageHandlers : this.handlers).delete(cb);
  }
  set(connected: boolean) {
    this.connected = connected;
    for (const cb of this.handlers) cb();
  }
  /** A frame from the relay, as lib0's WebsocketClient emits it: parsed JSON. */
  receive(message: unknown) {
    for (const cb of this.messageHandlers) cb(message);
  }
}

const keys = deriveEpochKeys(generateGroupKey());
const transports: WebrtcTransport[] = [];
afterEach(() => {
  for (const t of transports.splice(0)) t.destroy();
});

function withFake(signalingUrls = ['wss://relay.example.org/signal']) {
  const fake = new FakeProvider();
  const made: { room: string; options: ProviderOptions }[] = [];
  const createProvider: ProviderFactory = (room, _doc, options) => {
    made.push({ room, options });
    return fake;
  };
  const t = new WebrtcTransport({
    roomId: keys.roomId,
    doc: new Y.Doc(),
    signalingUrls,
    signalingSecret: keys.signalingSecret,
    iceServers: [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }],
    createProvider,
    pollMs: 60_000,
  });
  transports.push(t);
  return { t, fake, made };
}

describe('WebrtcTransport', () => {
  it('passes only the group’s relays, secret and ICE servers to y-webrtc', () => {
    const { t, made } = withFake([
      'wss://relay.example.org/signal',
      'https://not-signaling',
      'ws://10.0.0.2:8787/signal',
    ]);
    expect(made).toHaveLength(0);
    t.start();
    expect(made).toEqual([
      {
        room: keys.roomId,
        options: {
          signaling: ['wss://relay.example.org/signal', 'ws://10.0.0.2:8787/signal'],
          password: keys.signalingSecret,
          maxConns: 20,
          filterBcConns: true,
          peerOpts: {
            config: {
              iceServers: [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }],
            },
          },
        },
      },
    ]);
  });

  it('maps signaling and peer connections to status', () => {
    const { t, fake } = withFake();
    const seen: TransportStatus[] = [];
    t.onStatus((s) => seen.push(s));
    t.start();
    expect(t.status).toEqual({ state: 'connecting', peers: 0, signaling: false });
    fake.signalingConns[0]!.connected = true;
    fake.emit('status');
    expect(t.status).toEqual({ state: 'connected', peers: 0, signaling: true });
    fake.room!.webrtcConns.set('p1', { connected: false });
    fake.emit('peers');
    expect(t.status.peers).toBe(0);
    fake.room!.webrtcConns.set('p1', { connected: true });
    fake.room!.webrtcConns.set('p2', { connected: true });
    fake.emit('synced');
    expect(t.status).toEqual({ state: 'connected', peers: 2, signaling: true });
    fake.signalingConns[0]!.connected = false;
    fake.room!.webrtcConns.delete('p2');
    fake.emit('peers');
    expect(t.status).toEqual({ state: 'connected', peers: 1, signaling: false });
    expect(seen.map((s) => `${s.state}/${s.peers}`)).toEqual([
      'connecting/0',
      'connected/0',
      'connected/2',
      'connected/1',
    ]);
  });

  it('notices the relay going away and coming back while peers stay connected', () => {
    const { t, fake } = withFake();
    const socket = new FakeSignalingConn();
    fake.signalingConns = [socket];
    const seen: TransportStatus[] = [];
    t.onStatus((s) => seen.push(s));
    t.start();
    fake.room!.webrtcConns.set('p1', { connected: true });
    socket.set(true);
    expect(t.status).toEqual({ state: 'connected', peers: 1, signaling: true });
    // Only the socket's own events say so: the provider stays silent.
    socket.set(false);
    expect(t.status).toEqual({ state: 'connected', peers: 1, signaling: false });
    socket.set(true);
    expect(seen.map((s) => `${s.peers}/${s.signaling}`)).toEqual([
      '0/false',
      '1/true',
      '1/false',
      '1/true',
    ]);
    t.destroy();
    expect(socket.handlers.size).toBe(0);
  });

  it("passes on the relay's mailbox notices for its own room only, while started", () => {
    const { t, fake } = withFake();
    const socket = new FakeSignalingConn();
    fake.signalingConns = [socket];
    const got: number[] = [];
    t.onMailboxNotice((n) => got.push(n.seq));
    socket.receive({ type: MAILBOX_NOTICE_TYPE, topic: keys.roomId, seq: 1 });
    t.start();
    socket.receive({ type: MAILBOX_NOTICE_TYPE, topic: keys.roomId, seq: 2 });
    // Another group on the same shared socket, y-webrtc's own frames, and nonsense.
    socket.receive({ type: MAILBOX_NOTICE_TYPE, topic: 'another-room', seq: 3 });
    socket.receive({ type: 'publish', topic: keys.roomId, data: 'x', seq: 4 });
    for (const seq of [-1, 1.5, '5', Number.MAX_SAFE_INTEGER + 2, null]) {
      socket.receive({ type: MAILBOX_NOTICE_TYPE, topic: keys.roomId, seq });
    }
    socket.receive(null);
    socket.receive('hearth-mailbox');
    t.stop();
    socket.receive({ type: MAILBOX_NOTICE_TYPE, topic: keys.roomId, seq: 6 });
    expect(got).toEqual([2]);
    t.destroy();
    expect(socket.messageHandlers.size).toBe(0);
  });

  it('says whether the page is visible, and tells when that changes', () => {
    let visible = true;
    const changed = new Set<() => void>();
    const fake = new FakeProvider();
    const t = new WebrtcTransport({
      roomId: keys.roomId,
      doc: new Y.Doc(),
      signalingUrls: ['wss://relay.example.org/signal'],
      signalingSecret: keys.signalingSecret,
      iceServers: [],
      createProvider: () => fake,
      pollMs: 60_000,
      visibility: {
        visible: () => visible,
        onChange: (cb) => {
          changed.add(cb);
          return () => changed.delete(cb);
        },
      },
    });
    transports.push(t);
    const seen: (boolean | undefined)[] = [];
    t.onStatus((s) => seen.push(s.visible));
    t.start();
    expect(t.status).toEqual({ state: 'connecting', peers: 0, signaling: false, visible: true });
    visible = false;
    for (const cb of changed) cb();
    expect(t.status.visible).toBe(false);
    expect(seen).toEqual([true, false]);
    t.stop();
    expect(changed.size).toBe(0);
  });

  it('stops, restarts on the same provider, and destroys it', () => {
    const { t, fake, made } = withFake();
    t.start();
    fake.signalingConns[0]!.connected = true;
    fake.emit('status');
    t.stop();
    expect(t.status).toEqual({ state: 'disconnected', peers: 0, signaling: false });
    t.start();
    expect(made).toHaveLength(1);
    t.destroy();
    expect(fake.calls).toEqual(['disconnect', 'connect', 'disconnect', 'destroy']);
    expect(fake.handlers.get('peers')?.size).toBe(0);
    t.start();
    expect(t.status.state).toBe('disconnected');
  });

  it('with no relay it says disconnected rather than connecting forever', () => {
    const { t } = withFake([]);
    t.start();
    expect(t.status).toEqual({ state: 'disconnected', peers: 0, signaling: false });
  });

  it('configures the real y-webrtc provider without its public defaults', () => {
    const t = new WebrtcTransport({
      roomId: deriveEpochKeys(generateGroupKey()).roomId,
      doc: new Y.Doc(),
      signalingUrls: [],
      signalingSecret: keys.signalingSecret,
      iceServers: [],
    });
    transports.push(t);
    t.start();
    const real = t.provider as unknown as {
      signalingUrls: unknown;
      peerOpts: unknown;
      maxConns: unknown;
    };
    expect(real.signalingUrls).toEqual([]);
    expect(real.peerOpts).toEqual({ config: { iceServers: [] } });
    expect(real.maxConns).toBe(20);
  });

  it("keeps a note's own awareness state (its editor's cursor) when it starts", () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ann' } });
    const t = new WebrtcTransport({
      roomId: deriveEpochKeys(generateGroupKey()).roomId,
      doc,
      signalingUrls: [],
      signalingSecret: keys.signalingSecret,
      iceServers: [],
      awareness,
    });
    transports.push(t);
    t.start();
    expect(awareness.getLocalState()).toEqual({ user: { name: 'Ann' } });
    awareness.destroy();
  });
});

/** y-webrtc's framing of a sync message around an update. */
function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

function docWith(build: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  build(doc);
  return Y.encodeStateAsUpdate(doc);
}

const honest = docWith((d) => d.getText('t').insert(0, 'hello'));
const hostile = docWith((d) => d.getText('t').insert(0, 'x'.repeat(2_000_000)));
const junkKeys = docWith((d) =>
  d.transact(() => {
    for (let i = 0; i < 100_000; i++) d.getMap('m').set(`k${i}`, i);
  }),
);

describe('admitPeerMessage', () => {
  it('lets through sync messages with checked updates, state vectors and awareness', () => {
    expect(admitPeerMessage(updateMessage(honest))).toBe(true);
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    expect(admitPeerMessage(encoding.toUint8Array(step1))).toBe(true);
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    const full = new Y.Doc();
    Y.applyUpdate(full, honest);
    syncProtocol.writeSyncStep2(step2, full);
    expect(admitPeerMessage(encoding.toUint8Array(step2))).toBe(true);
    const awareness = encoding.createEncoder();
    encoding.writeVarUint(awareness, 1);
    encoding.writeVarUint8Array(awareness, new Uint8Array([0]));
    expect(admitPeerMessage(encoding.toUint8Array(awareness))).toBe(true);
    expect(admitPeerMessage(new Uint8Array([3]))).toBe(true);
  });

  it('drops hostile updates, broken framing, peer-id messages and unknown types', () => {
    expect(admitPeerMessage(updateMessage(hostile))).toBe(false);
    expect(admitPeerMessage(updateMessage(junkKeys))).toBe(false);
    expect(admitPeerMessage(updateMessage(new Uint8Array([1, 2, 3])))).toBe(false);
    const ok = updateMessage(honest);
    for (let n = 0; n < ok.length; n++) expect(admitPeerMessage(ok.subarray(0, n))).toBe(false);
    expect(admitPeerMessage(new Uint8Array([...ok, 0]))).toBe(false);
    // A view whose buffer goes on past it must not be read beyond its end.
    const padded = new Uint8Array(ok.length + 100);
    padded.set(ok);
    expect(admitPeerMessage(padded.subarray(0, ok.length - 1))).toBe(false);
    const peerId = encoding.createEncoder();
    encoding.writeVarUint(peerId, 4);
    encoding.writeUint8(peerId, 1);
    encoding.writeVarString(peerId, 'someone');
    expect(admitPeerMessage(encoding.toUint8Array(peerId))).toBe(false);
    expect(admitPeerMessage(new Uint8Array([9]))).toBe(false);
    expect(admitPeerMessage(new Uint8Array([0, 7, 0]))).toBe(false);
    expect(admitPeerMessage(new Uint8Array(9 * 1024 * 1024))).toBe(false);
    expect(admitPeerMessage(updateMessage(honest), { maxStringBytes: 2 })).toBe(false);
  });
});

/** Just enough of RTCPeerConnection and RTCDataChannel for simple-peer's answering side. */
interface FakeChannel {
  label: string;
  readyState: string;
  binaryType: string;
  bufferedAmount: number;
  onmessage?: (event: { data: ArrayBuffer }) => void;
  send(): void;
  close(): void;
}
class FakePeerConnection {
  ondatachannel?: (event: { channel: FakeChannel }) => void;
  close(): void {}
}
const fakeWrtc = { RTCPeerConnection: FakePeerConnection };

describe('WebrtcTransport with the real y-webrtc provider', () => {
  it('hands y-webrtc only messages that pass admitPeerMessage, so nothing refused is applied or stored', async () => {
    const k = deriveEpochKeys(generateGroupKey());
    const doc = new Y.Doc();
    const store = new EncryptedDocStore(new MemoryStorage(), 'g' as GroupId, k.storeKey);
    await store.attach(doc);
    const t = new WebrtcTransport({
      roomId: k.roomId,
      doc,
      signalingUrls: [],
      signalingSecret: k.signalingSecret,
      iceServers: [],
      createProvider: (room, d, options) =>
        new WebrtcProvider(room, d, {
          ...options,
          signaling: [],
          peerOpts: { ...options.peerOpts, wrtc: fakeWrtc },
        }) as unknown as ProviderLike,
    });
    transports.push(t);
    t.start();
    const provider = t.provider as unknown as WebrtcProvider;
    for (let i = 0; i < 200 && !provider.room; i++) await new Promise((r) => setTimeout(r, 5));
    const room = provider.room!;

    // A peer connects, as y-webrtc's signaling would make it: the connection, then 'peers'.
    const conn = new WebrtcConn({ send() {} } as never, false, 'remote', room);
    room.webrtcConns.set('remote', conn);
    provider.emit('peers', [
      { added: ['remote'], removed: [], webrtcPeers: ['remote'], bcPeers: [] },
    ]);
    const channel: FakeChannel = {
      label: 'x',
      readyState: 'open',
      binaryType: '',
      bufferedAmount: 0,
      send() {},
      close() {},
    };
    const pc = (conn.peer as unknown as { _pc: FakePeerConnection })._pc;
    pc.ondatachannel!({ channel });
    const receive = async (m: Uint8Array) => {
      channel.onmessage!({ data: m.slice().buffer });
      await new Promise((r) => setTimeout(r, 10));
    };

    await receive(updateMessage(hostile));
    await receive(updateMessage(junkKeys));
    const peerId = encoding.createEncoder();
    encoding.writeVarUint(peerId, 4);
    encoding.writeUint8(peerId, 1);
    encoding.writeVarString(peerId, 'victim');
    await receive(encoding.toUint8Array(peerId));
    expect(doc.getText('t').toString()).toBe('');
    expect(doc.getMap('m').size).toBe(0);
    expect(room.bcConns.has('victim')).toBe(false);
    expect(t.rejectedMessages).toBe(3);

    await receive(updateMessage(honest));
    expect(doc.getText('t').toString()).toBe('hello');
    expect(t.rejectedMessages).toBe(3);
    await store.detach();
    const stored = new Y.Doc();
    for (const u of (await store.loadUpdates()).updates) Y.applyUpdate(stored, u);
    expect(stored.getText('t').toString()).toBe('hello');
    expect(stored.getMap('m').size).toBe(0);
    conn.destroy();
  });
});
