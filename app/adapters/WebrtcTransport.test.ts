// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, generateGroupKey } from '../core/crypto/keys.ts';
import type { TransportStatus } from '../core/sync/Transport.ts';
import {
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
  on(_event: string, cb: () => void) {
    this.handlers.add(cb);
  }
  off(_event: string, cb: () => void) {
    this.handlers.delete(cb);
  }
  set(connected: boolean) {
    this.connected = connected;
    for (const cb of this.handlers) cb();
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
});
