// The y-webrtc signaling protocol over WebSocket, hardened: every frame is validated, abuse
// costs only the abuser's connection, slow readers are cut off instead of buffered, and a
// published frame is framed once and the same bytes go to every subscriber.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type Server, WebSocket, WebSocketServer } from 'ws';
import { MAILBOX_NOTICE_TYPE } from '../app/core/sync/Transport.ts';
import type { SignalingLimits } from './config.ts';
import { clientAddress, clientKey, type OriginPolicy } from './http.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Clock } from './rateLimit.ts';
import type { SignalBus } from './signalBus.ts';
import type { TestTap } from './testTap.ts';
import { type Subscriber, TopicTable } from './topics.ts';

export const SIGNALING_PATHS: ReadonlySet<string> = new Set(['/', '/signal']);

export { MAILBOX_NOTICE_TYPE };

const TEXT = { binary: false } as const;
const CLOSE_BRACE = 0x7d;
/** First byte of a whole (FIN) text frame; server frames carry no mask. */
const FIN_TEXT = 0x81;
const OPEN = WebSocket.OPEN;
/** Ticks a heartbeat round is spread over. */
const HEARTBEAT_SLICES = 30;

/** Bytes of the header of an unmasked frame whose payload is `length` bytes. */
function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

/**
 * One unmasked text frame, header and payload in a single buffer: `head[0, headEnd)`
 * followed by the latin1 `tail`. Built once per publish and written as-is to every receiver.
 */
export function textFrame(head: Buffer, headEnd: number, tail: string): Buffer {
  const length = headEnd + tail.length;
  const header = headerBytes(length);
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  head.copy(frame, header, 0, headEnd);
  frame.write(tail, header + headEnd, 'latin1');
  return frame;
}

const PONG = textFrame(Buffer.from('{"type":"pong"}'), 15, '');

/** The payload of a frame built by textFrame. */
function payloadOf(frame: Buffer): Buffer {
  const marker = frame[1]!;
  return frame.subarray(marker < 126 ? 2 : marker === 126 ? 4 : 10);
}

/** The parts of ws's private state the direct write path must check; absent, it is not used. */
interface WsInternals {
  _socket?: unknown;
  _sender?: {
    _state?: unknown;
    _queue?: unknown;
    _firstFragment?: unknown;
    _bufferedBytes?: number;
  };
  _extensions?: Record<string, unknown>;
}
interface SenderState {
  _state: number;
  _queue: unknown[];
  _firstFragment: boolean;
  _bufferedBytes: number;
}

/**
 * What one connection is owed: frames queued during the current tick leave together in one
 * write at its end. When ws has nothing of its own in flight (no compression, no queued or
 * half-sent message) the ready-made frames go straight to the TCP socket; otherwise they go
 * through ws.send, behind whatever ws holds, so order is kept either way.
 */
export class Outbox {
  /** The first frame queued this tick, or null when nothing is owed. */
  private first: Buffer | null = null;
  /** Every frame queued this tick once there is more than one. */
  private many: Buffer[] | null = null;
  private queuedBytes = 0;
  private readonly socket: Socket | null;
  private readonly sender: SenderState | null;

  constructor(readonly ws: WebSocket) {
    const internals = ws as unknown as WsInternals;
    const socket = internals._socket as Socket | undefined;
    const sender = internals._sender;
    const usable =
      socket !== undefined &&
      typeof socket.write === 'function' &&
      sender !== undefined &&
      typeof sender._state === 'number' &&
      Array.isArray(sender._queue) &&
      typeof sender._firstFragment === 'boolean' &&
      typeof sender._bufferedBytes === 'number' &&
      internals._extensions !== undefined &&
      Object.keys(internals._extensions).length === 0;
    this.socket = usable ? socket : null;
    this.sender = usable ? (sender as SenderState) : null;
  }

  /** Bytes accepted for this connection and not yet handed to the kernel. */
  get backlog(): number {
    const { socket, sender } = this;
    if (socket === null || sender === null) return this.ws.bufferedAmount + this.queuedBytes;
    return socket.writableLength + sender._bufferedBytes + this.queuedBytes;
  }

  /** Queues a frame from textFrame; true when it is the first this tick (flush is then owed). */
  push(frame: Buffer): boolean {
    this.queuedBytes += frame.length;
    if (this.first === null) {
      this.first = frame;
      return true;
    }
    if (this.many === null) this.many = [this.first, frame];
    else this.many.push(frame);
    return false;
  }

  /** Sends what was queued, in order; drops it if the connection is no longer open. */
  flush(): void {
    const first = this.first;
    const many = this.many;
    const bytes = this.queuedBytes;
    this.first = null;
    this.many = null;
    this.queuedBytes = 0;
    if (first === null || this.ws.readyState !== OPEN) return;
    const { socket, sender } = this;
    if (
      socket !== null &&
      sender !== null &&
      sender._state === 0 &&
      sender._queue.length === 0 &&
      sender._firstFragment &&
      !socket.destroyed
    ) {
      socket.write(many === null ? first : Buffer.concat(many, bytes));
      return;
    }
    if (many === null) this.ws.send(payloadOf(first), TEXT);
    else for (const frame of many) this.ws.send(payloadOf(frame), TEXT);
  }
}

export interface SignalingDeps {
  limits: SignalingLimits;
  metrics: Metrics;
  logger: Logger;
  origins: OriginPolicy;
  trustProxy: boolean;
  tap: TestTap | null;
  now?: Clock;
  /**
   * Other relay processes sharing this address: every accepted publish and mailbox notice
   * goes to them, and theirs come here (HEARTH_DATABASE_URL). Absent, this process is alone.
   */
  bus?: SignalBus | null;
}

/** ws's WebSocket with a slot for its Peer, so one set of listeners serves every connection. */
class PeerSocket extends WebSocket {
  peer: Peer | null = null;
}

/** The Peer of a socket that SignalingServer accepted. */
function peerOf(ws: WebSocket): Peer {
  return (ws as PeerSocket).peer!;
}

/** What a connection reports to its server: one object per server, shared by its peers. */
interface PeerEvents {
  frame(peer: Peer, data: Buffer, isBinary: boolean): void;
  error(e: Error & { code?: string }): void;
  closed(peer: Peer): void;
}

// Listeners shared by every connection, so a socket costs no closures; `this` is its ws.
function onPong(this: WebSocket): void {
  peerOf(this).alive = true;
}
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  const peer = peerOf(this);
  peer.events.frame(peer, data as Buffer, isBinary);
}
function onError(this: WebSocket, e: Error & { code?: string }): void {
  peerOf(this).events.error(e);
}
function onClose(this: WebSocket): void {
  const peer = peerOf(this);
  peer.events.closed(peer);
}

class Peer extends Outbox implements Subscriber {
  alive = true;
  violations = 0;
  closed = false;
  topics: string[] | null = null;
  // Two token buckets (frames, bytes) as TokenBucket counts them, kept as plain fields so
  // a connection costs no extra objects and a frame reads the clock once.
  private frameTokens: number;
  private byteTokens: number;
  private refilledAt: number;

  constructor(
    override readonly ws: PeerSocket,
    readonly events: PeerEvents,
    readonly ip: string,
    private readonly limits: SignalingLimits,
    now: number,
  ) {
    super(ws);
    this.frameTokens = limits.frameBurst;
    this.byteTokens = limits.byteBurst;
    this.refilledAt = now;
  }

  /** Takes one frame of `size` bytes from the allowances; false when either is exhausted. */
  admit(size: number, now: number): boolean {
    const { limits } = this;
    const elapsed = now - this.refilledAt;
    if (elapsed > 0) {
      this.frameTokens = Math.min(
        limits.frameBurst,
        this.frameTokens + (elapsed / 1000) * limits.framesPerSecond,
      );
      this.byteTokens = Math.min(
        limits.byteBurst,
        this.byteTokens + (elapsed / 1000) * limits.bytesPerSecond,
      );
    }
    this.refilledAt = now;
    if (this.frameTokens < 1) return false;
    this.frameTokens -= 1;
    if (this.byteTokens < size) return false;
    this.byteTokens -= size;
    return true;
  }
}

/** True when `value` nests no deeper than `depth` arrays/objects; stops early otherwise. */
export function withinDepth(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth === 0) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!withinDepth(item, depth - 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!withinDepth((value as Record<string, unknown>)[key], depth - 1)) return false;
  }
  return true;
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.on('error', () => {});
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${reason.length}\r\n\r\n${reason}`,
  );
}

export class SignalingServer {
  private readonly wss: Server<typeof PeerSocket>;
  private readonly table: TopicTable<Peer>;
  private readonly peers = new Set<Peer>();
  private readonly perIp = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Where the current heartbeat round is: its slice, cursor and peers per slice. */
  private beatSlice = 0;
  private beatCursor: Iterator<Peer> | null = null;
  private beatQuota = 0;
  private readonly now: Clock;
  private closing = false;
  /** Connections owed frames this tick; flushed once the current callback is done. */
  private readonly owed: Outbox[] = [];
  private readonly flushOwed = () => {
    const owed = this.owed;
    for (let i = 0; i < owed.length; i++) {
      try {
        owed[i]!.flush();
      } catch (e) {
        this.deps.logger.error('signaling flush failed', { error: String(e) });
      }
    }
    owed.length = 0;
  };
  /** What every Peer of this server reports through; shared, not one closure per socket. */
  private readonly events: PeerEvents = {
    frame: (peer, data, isBinary) => {
      try {
        this.onFrame(peer, data, isBinary);
      } catch (e) {
        this.deps.logger.error('signaling frame handler failed', { error: String(e) });
        this.violation(peer, 'internal');
      }
    },
    error: (e) => {
      const reason = e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too-large' : 'bad-frame';
      this.deps.metrics.reject(reason);
      this.deps.logger.debug('signaling socket error', { code: e.code ?? 'unknown' });
    },
    closed: (peer) => {
      peer.closed = true;
      this.peers.delete(peer);
      this.table.removeSubscriber(peer);
      this.releaseIp(peer.ip);
      this.deps.logger.debug('signaling connection closed', { connections: this.peers.size });
    },
  };

  constructor(private readonly deps: SignalingDeps) {
    const { limits } = deps;
    this.now = deps.now ?? Date.now;
    this.table = new TopicTable<Peer>(limits.maxTopicsPerConnection);
    this.wss = new WebSocketServer<typeof PeerSocket>({
      WebSocket: PeerSocket,
      noServer: true,
      maxPayload: limits.hardMaxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.heartbeat = setInterval(() => this.beat(), limits.heartbeatMs / HEARTBEAT_SLICES);
    this.heartbeat.unref();
    deps.bus?.attach({
      publish: (topic, head) => {
        if (!this.closing) this.fanOut(topic, head, head.length);
      },
      notice: (topic, seq) => this.noticeHere(topic, seq),
    });
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  get topicCount(): number {
    return this.table.topicCount;
  }

  /** Takes over an HTTP upgrade on one of SIGNALING_PATHS, or refuses it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { metrics, limits, origins } = this.deps;
    if (this.closing) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    if (!origins.allows(req)) {
      metrics.reject('origin');
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    // An IPv6 client counts by its /64, as for the mailbox's budgets.
    const ip = clientKey(clientAddress(req, this.deps.trustProxy));
    const open = this.perIp.get(ip) ?? 0;
    if (open >= limits.maxConnectionsPerIp) {
      metrics.reject('ip-limit');
      rejectUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    this.perIp.set(ip, open + 1);
    // Until ws accepts, a socket that closes gives its slot back here; after, on 'close'.
    const refused = () => this.releaseIp(ip);
    socket.once('close', refused);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', refused);
      this.accept(ws, ip);
    });
  }

  private releaseIp(ip: string): void {
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  private accept(ws: PeerSocket, ip: string): void {
    const peer = new Peer(ws, this.events, ip, this.deps.limits, this.now());
    ws.peer = peer;
    this.peers.add(peer);
    this.deps.logger.debug('signaling connection opened', { connections: this.peers.size });
    if (this.closing) ws.close(1001, 'relay shutting down');
    ws.on('pong', onPong);
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  private violation(peer: Peer, reason: string): void {
    this.deps.metrics.reject(reason);
    peer.violations++;
    if (peer.violations >= this.deps.limits.maxViolations && !peer.closed) {
      peer.closed = true;
      this.deps.metrics.reject('closed-abuse');
      this.deps.logger.info('signaling connection closed for abuse', { lastReason: reason });
      peer.ws.close(1008, 'too many invalid frames');
    }
  }

  private onFrame(peer: Peer, data: Buffer, isBinary: boolean): void {
    if (peer.closed) return;
    const reason = this.handleFrame(peer, data, isBinary);
    if (reason !== null) this.violation(peer, reason);
  }

  /** Acts on one frame; returns why it was refused, or null. */
  private handleFrame(peer: Peer, data: Buffer, isBinary: boolean): string | null {
    const { metrics, limits } = this.deps;
    metrics.messages.in++;
    metrics.bytes.in += data.length;
    if (!peer.admit(data.length, this.now())) return 'rate-limited';
    if (isBinary) return 'binary-frame';
    if (data.length > limits.maxFrameBytes) return 'too-large';
    const text = data.toString('utf8');
    this.deps.tap?.record(text);
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return 'bad-json';
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return 'bad-frame';
    const msg = frame as Record<string, unknown>;
    switch (msg.type) {
      case 'publish':
        return this.publish(peer, msg, data);
      case 'subscribe':
        return this.subscribe(peer, msg.topics);
      case 'unsubscribe':
        return this.unsubscribe(peer, msg.topics);
      case 'ping':
        // Queued like publishes, so the pong follows every frame owed before it.
        if (peer.ws.readyState === OPEN) this.send(peer, PONG);
        return null;
      default:
        return typeof msg.type === 'string' ? 'unknown-type' : 'bad-frame';
    }
  }

  private validTopic(topic: unknown): topic is string {
    return (
      typeof topic === 'string' &&
      topic.length > 0 &&
      topic.length <= this.deps.limits.maxTopicLength
    );
  }

  private validTopicList(topics: unknown): topics is string[] {
    return (
      Array.isArray(topics) &&
      topics.length <= this.deps.limits.maxTopicsPerConnection &&
      topics.every((t) => this.validTopic(t))
    );
  }

  private subscribe(peer: Peer, topics: unknown): string | null {
    if (!this.validTopicList(topics)) return 'bad-topics';
    for (const topic of topics) {
      if (this.table.subscribe(peer, topic) === 'limit') return 'too-many-topics';
    }
    return null;
  }

  private unsubscribe(peer: Peer, topics: unknown): string | null {
    if (!this.validTopicList(topics)) return 'bad-topics';
    for (const topic of topics) this.table.unsubscribe(peer, topic);
    return null;
  }

  private send(receiver: Outbox, frame: Buffer): void {
    if (receiver.push(frame) && this.owed.push(receiver) === 1) process.nextTick(this.flushOwed);
  }

  private publish(peer: Peer, msg: Record<string, unknown>, raw: Buffer): string | null {
    const { metrics, limits } = this.deps;
    const topic = msg.topic;
    if (!this.validTopic(topic)) return 'bad-topics';
    if (!withinDepth(msg, limits.maxDepth)) return 'too-deep';
    if (!this.table.isSubscribed(peer, topic)) {
      // y-webrtc may still publish a signal it encrypted just before leaving: not abuse.
      metrics.reject('not-subscribed');
      return null;
    }
    // The frame is a JSON object, so its last '}' closes it. A later duplicate key wins in
    // JSON.parse, so appending "clients" overrides any value the sender put there.
    const end = raw.lastIndexOf(CLOSE_BRACE);
    this.fanOut(topic, raw, end);
    this.deps.bus?.publish(topic, raw.subarray(0, end));
    return null;
  }

  /** Sends `head[0, end)` plus this process's "clients" count to the topic's subscribers here. */
  private fanOut(topic: string, head: Buffer, end: number): void {
    const { metrics, limits } = this.deps;
    const receivers = this.table.subscribers(topic);
    if (!receivers) return;
    const suffix = `,"clients":${receivers.length}}`;
    const frame = textFrame(head, end, suffix);
    const maxBuffered = limits.maxBufferedBytes;
    let delivered = 0;
    for (let i = 0; i < receivers.length; i++) {
      const receiver = receivers[i]!;
      if (receiver.ws.readyState !== OPEN) continue;
      if (receiver.backlog > maxBuffered) {
        metrics.reject('slow-reader');
        receiver.closed = true;
        receiver.ws.terminate();
        continue;
      }
      this.send(receiver, frame);
      delivered++;
    }
    metrics.messages.out += delivered;
    metrics.bytes.out += delivered * (end + suffix.length);
  }

  /**
   * Tells the sockets watching `topic` that its mailbox holds entries up to `seq`: one small
   * frame of a type plain y-webrtc clients ignore, with no content and no sender. A receiver
   * that is falling behind is skipped (it pulls when it catches up). Returns how many got it.
   */
  notifyMailbox(topic: string, seq: number): number {
    if (!this.closing && Number.isSafeInteger(seq) && seq >= 0) this.deps.bus?.notice(topic, seq);
    return this.noticeHere(topic, seq);
  }

  /** The notice to this process's own watchers of `topic`. */
  private noticeHere(topic: string, seq: number): number {
    const receivers = this.table.subscribers(topic);
    if (!receivers || this.closing || !Number.isSafeInteger(seq) || seq < 0) return 0;
    const payload = Buffer.from(
      `{"type":"${MAILBOX_NOTICE_TYPE}","topic":${JSON.stringify(topic)},"seq":${seq}}`,
    );
    const frame = textFrame(payload, payload.length, '');
    const maxBuffered = this.deps.limits.maxBufferedBytes;
    let delivered = 0;
    for (let i = 0; i < receivers.length; i++) {
      const receiver = receivers[i]!;
      if (receiver.ws.readyState !== OPEN || receiver.backlog > maxBuffered) continue;
      this.send(receiver, frame);
      delivered++;
    }
    this.deps.metrics.mailboxNotices += delivered;
    return delivered;
  }

  /**
   * One slice of a heartbeat round: a round visits every connection once per heartbeatMs,
   * spread over HEARTBEAT_SLICES ticks so thousands of pings never leave in one stall.
   * A connection that has not answered the previous round's ping is dropped.
   */
  private beat(): void {
    if (this.beatSlice === 0) {
      this.beatCursor = this.peers.values();
      this.beatQuota = Math.ceil(this.peers.size / HEARTBEAT_SLICES);
    }
    const last = this.beatSlice === HEARTBEAT_SLICES - 1;
    this.beatSlice = last ? 0 : this.beatSlice + 1;
    const cursor = this.beatCursor!;
    for (let i = 0; last || i < this.beatQuota; i++) {
      const next = cursor.next();
      if (next.done) break;
      this.check(next.value);
    }
  }

  private check(peer: Peer): void {
    if (!peer.alive) {
      this.deps.metrics.reject('heartbeat');
      peer.closed = true;
      peer.ws.terminate();
      return;
    }
    peer.alive = false;
    try {
      peer.ws.ping();
    } catch {
      peer.ws.terminate();
    }
  }

  /** Says goodbye (1001) to every client, then drops whoever has not left within `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const gone = [...this.peers].map(
      (peer) =>
        new Promise<void>((resolve) => {
          if (peer.ws.readyState === WebSocket.CLOSED) return resolve();
          peer.ws.once('close', () => resolve());
          peer.ws.close(1001, 'relay shutting down');
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(gone),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const peer of this.peers) peer.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
