// An in-process relay mailbox with the protocol's rules (signatures, key binding, replay and
// clock checks, quotas, supersession), so sync can be tested end to end without a server.
// Writes go through the real envelope encoder and decoder.
import { toBase64Url } from '../crypto/bytes.ts';
import type { MailboxKeyPair, RoomId } from '../crypto/keys.ts';
import {
  type Mailbox,
  type MailboxEntry,
  MailboxError,
  type MailboxPage,
  type PushOptions,
} from './Mailbox.ts';
import { decodeMailboxWrite, encodePush } from './mailboxEnvelope.ts';

export interface MemoryMailboxOptions {
  readonly now?: () => number;
  readonly maxPayloadBytes?: number;
  readonly quotaBytes?: number;
  readonly quotaEntries?: number;
  readonly replayWindowMs?: number;
  readonly defaultLimit?: number;
}

interface Room {
  publicKey: string | undefined;
  entries: MailboxEntry[];
  lastSeq: number;
  bytes: number;
  writeIds: Set<string>;
}

export class MemoryMailbox implements Mailbox {
  /** While true every call fails as if the relay were unreachable. */
  offline = false;
  private readonly rooms = new Map<string, Room>();
  private readonly now: () => number;
  private readonly maxPayloadBytes: number;
  private readonly quotaBytes: number;
  private readonly quotaEntries: number;
  private readonly replayWindowMs: number;
  private readonly defaultLimit: number;

  constructor(options: MemoryMailboxOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.maxPayloadBytes = options.maxPayloadBytes ?? 8 * 1024 * 1024;
    this.quotaBytes = options.quotaBytes ?? Number.POSITIVE_INFINITY;
    this.quotaEntries = options.quotaEntries ?? Number.POSITIVE_INFINITY;
    this.replayWindowMs = options.replayWindowMs ?? 10 * 60 * 1000;
    this.defaultLimit = options.defaultLimit ?? 100;
  }

  async pull(room: RoomId, after: number, limit = this.defaultLimit): Promise<MailboxPage> {
    if (this.offline) throw new MailboxError('network');
    const r = this.rooms.get(room);
    const newer = r ? r.entries.filter((e) => e.seq > after) : [];
    const entries = newer.slice(0, Math.max(1, limit));
    const next = entries.at(-1)?.seq ?? after;
    return {
      entries: entries.map((e) => ({ ...e, blob: e.blob.slice() })),
      next,
      more: newer.length > entries.length,
    };
  }

  async push(
    room: RoomId,
    keys: MailboxKeyPair,
    blob: Uint8Array,
    options: PushOptions,
  ): Promise<{ seq: number }> {
    const body = encodePush(room, keys, blob, options, this.now());
    return this.receive(room, body);
  }

  /** The relay's side of a write: takes the raw request body. */
  async receive(room: string, body: Uint8Array): Promise<{ seq: number }> {
    if (this.offline) throw new MailboxError('network');
    const w = decodeMailboxWrite(room, body);
    if (w.payload.length > this.maxPayloadBytes) throw new MailboxError('too-large');
    if (Math.abs(w.timestamp - this.now()) > this.replayWindowMs) throw new MailboxError('stale');
    const r = this.roomOf(room);
    const key = toBase64Url(w.publicKey);
    if (r.publicKey !== undefined && r.publicKey !== key) throw new MailboxError('wrong-key');
    const writeId = toBase64Url(w.writeId);
    if (r.writeIds.has(writeId)) throw new MailboxError('replay');

    const kept = w.kind === 'snapshot' ? r.entries.filter((e) => e.seq > w.supersedes) : r.entries;
    const keptBytes = kept.reduce((n, e) => n + e.blob.length, 0);
    if (keptBytes + w.payload.length > this.quotaBytes) throw new MailboxError('quota-bytes');
    if (kept.length + 1 > this.quotaEntries) throw new MailboxError('quota-entries');

    r.publicKey = key;
    r.writeIds.add(writeId);
    const seq = ++r.lastSeq;
    r.entries = [...kept, { seq, kind: w.kind, blob: w.payload }];
    r.bytes = keptBytes + w.payload.length;
    return { seq };
  }

  /** What the relay holds for a room, for tests. */
  stats(room: string): { entries: number; bytes: number; lastSeq: number } {
    const r = this.rooms.get(room);
    return { entries: r?.entries.length ?? 0, bytes: r?.bytes ?? 0, lastSeq: r?.lastSeq ?? 0 };
  }

  private roomOf(room: string): Room {
    let r = this.rooms.get(room);
    if (!r) {
      r = { publicKey: undefined, entries: [], lastSeq: 0, bytes: 0, writeIds: new Set() };
      this.rooms.set(room, r);
    }
    return r;
  }
}
