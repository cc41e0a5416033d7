// HTTP side of the blind mailbox (docs/PROTOCOL.md): body read under a hard cap, envelope
// parsed and its signature checked, then handed to the store, which keeps the room's key,
// the replay ids, the quotas and the order. Errors answer with the documented codes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MailboxLimits } from './config.ts';
import { EnvelopeError, isRoomId, parseWriteEnvelope, verifyEnvelope } from './envelope.ts';
import { clientAddress, clientKey, type OriginPolicy, refuse, sendJson } from './http.ts';
import { type Logger, shortRoom } from './logger.ts';
import type { MailboxStore, PruneResult } from './mailboxStore.ts';
import type { Metrics } from './metrics.ts';
import { KeyedRateLimiter } from './rateLimit.ts';
import type { TestTap } from './testTap.ts';

export type MailboxErrorCode =
  | 'bad-request'
  | 'bad-signature'
  | 'wrong-key'
  | 'replay'
  | 'stale'
  | 'too-large'
  | 'quota-bytes'
  | 'quota-entries'
  | 'rate-limited'
  | 'relay-full'
  | 'budget-rooms'
  | 'budget-bytes'
  | 'origin-not-allowed'
  | 'not-found'
  | 'method-not-allowed';

const STATUS: Record<MailboxErrorCode, number> = {
  'bad-request': 400,
  'bad-signature': 403,
  'wrong-key': 403,
  replay: 409,
  stale: 409,
  'too-large': 413,
  'quota-bytes': 507,
  'quota-entries': 507,
  'rate-limited': 429,
  'relay-full': 507,
  'budget-rooms': 429,
  'budget-bytes': 429,
  'origin-not-allowed': 403,
  'not-found': 404,
  'method-not-allowed': 405,
};

const MESSAGES: Record<MailboxErrorCode, string> = {
  'bad-request': 'The request is malformed.',
  'bad-signature': 'The signature does not verify.',
  'wrong-key': 'This room is bound to another mailbox key.',
  replay: 'This write id was already seen.',
  stale: 'The timestamp is outside the replay window; check the device clock.',
  'too-large': 'The body is over the mailbox payload cap.',
  'quota-bytes': "The room's mailbox is full (bytes); upload a snapshot to compact it.",
  'quota-entries': "The room's mailbox is full (entries); upload a snapshot to compact it.",
  'rate-limited': 'Too many requests; retry after the time in Retry-After.',
  'relay-full':
    'The relay has no space for new data right now; everything it holds is kept. Changes wait on the device; whoever runs the relay can free disk space or raise HEARTH_MAILBOX_BUDGET.',
  'budget-rooms':
    'This network address has created as many new mailbox rooms as the relay allows per day; retry after the time in Retry-After.',
  'budget-bytes':
    'This network address has written as many bytes as the relay allows per day; retry after the time in Retry-After.',
  'origin-not-allowed': 'This relay does not accept requests from this web origin.',
  'not-found': 'No such mailbox path.',
  'method-not-allowed': 'Use GET to read or POST to write.',
};

const DIGITS = /^\d{1,16}$/;

const retryAfter = (ms: number) => ({ 'Retry-After': String(Math.ceil(ms / 1000)) });

export interface MailboxDeps {
  store: MailboxStore;
  limits: MailboxLimits;
  now: () => number;
  metrics: Metrics;
  logger: Logger;
  origins: OriginPolicy;
  trustProxy: boolean;
  tap: TestTap | null;
  /**
   * Told after every accepted write, with the seq it got; the relay uses it to notify the
   * room's watchers on the signaling connection (docs/PROTOCOL.md, "Mailbox notice").
   */
  onWrite?: (room: string, seq: number) => void;
  /** Free bytes on the mailbox's disk, or null when unknown; asked at most once a second. */
  diskFree?: () => number | null;
}

/** How long a free-space reading is trusted before the disk is asked again. */
const DISK_CHECK_MS = 1000;
/** Past this share of the budget the relay says it is nearly full (logs, /metrics). */
const NEARLY_FULL = 0.9;
const DAY_SECONDS = 86_400;

/** Whether the mailbox takes new data, as /metrics and the logs report it. */
export interface MailboxSpace {
  /** Writes refused for space: since the last refusal no write has been accepted. */
  full: boolean;
  /** Stored bytes past 90% of the budget, or free disk under twice the reserve. */
  nearlyFull: boolean;
  /** The last free-space reading of the disk, or null. */
  diskFree: number | null;
}

type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/** Reads at most `cap` bytes; past the cap it stops collecting and reports too-large. */
export function readBody(req: IncomingMessage, cap: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        chunks.length = 0;
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onClose = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

export class MailboxHandler {
  private readonly limiter: KeyedRateLimiter;
  /** Per client (IPv4 address or IPv6 /64): new rooms and sealed bytes, refilled over a day. */
  private readonly newRooms: KeyedRateLimiter;
  private readonly clientBytes: KeyedRateLimiter;
  private diskFree: number | null = null;
  private diskCheckedAt = Number.NEGATIVE_INFINITY;
  private full = false;
  private nearlyFull = false;

  constructor(private readonly deps: MailboxDeps) {
    const { limits, now } = deps;
    this.limiter = new KeyedRateLimiter(limits.rateBurst, limits.ratePerSecond, now);
    this.newRooms = new KeyedRateLimiter(
      limits.clientNewRoomsPerDay,
      limits.clientNewRoomsPerDay / DAY_SECONDS,
      now,
    );
    this.clientBytes = new KeyedRateLimiter(
      limits.clientBytesPerDay,
      limits.clientBytesPerDay / DAY_SECONDS,
      now,
    );
  }

  /** For /metrics and tests. */
  space(): MailboxSpace {
    return { full: this.full, nearlyFull: this.nearlyFull, diskFree: this.diskFree };
  }

  /** Free disk space, read again when the last reading is over a second old. */
  private checkDisk(): number | null {
    const at = this.deps.now();
    if (this.deps.diskFree && at - this.diskCheckedAt >= DISK_CHECK_MS) {
      this.diskCheckedAt = at;
      try {
        this.diskFree = this.deps.diskFree();
      } catch {
        this.diskFree = null;
      }
    }
    return this.diskFree;
  }

  /** Logs the moments the mailbox fills up and has space again, once each. */
  private noteSpace(full: boolean, reason: string | null, stored: number): void {
    const { logger, limits } = this.deps;
    const fields = {
      reason,
      storedBytes: stored,
      budgetBytes: limits.totalMaxBytes,
      diskFreeBytes: this.diskFree,
    };
    if (full && !this.full) {
      logger.warn('mailbox full: new writes are refused, reads and signaling go on', fields);
    } else if (!full && this.full) {
      logger.info('mailbox accepts writes again', fields);
    }
    this.full = full;
    const nearly =
      stored >= limits.totalMaxBytes * NEARLY_FULL ||
      (this.diskFree !== null &&
        limits.diskReserveBytes > 0 &&
        this.diskFree < 2 * limits.diskReserveBytes);
    if (nearly && !this.nearlyFull && !full) {
      logger.warn('mailbox nearly full', fields);
    }
    this.nearlyFull = nearly;
  }

  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    code: MailboxErrorCode,
    extra: Record<string, string> = {},
    message = MESSAGES[code],
  ): void {
    refuse(this.deps, 'mailbox', req, res, { status: STATUS[code], code, message, headers: extra });
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const { origins } = this.deps;
    if (!origins.allows(req)) return this.fail(req, res, 'origin-not-allowed');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, origins.preflightHeaders(req));
      res.end();
      return;
    }
    const room = pathname.slice('/mailbox/'.length);
    if (!pathname.startsWith('/mailbox/') || room.includes('/')) {
      return this.fail(req, res, 'not-found');
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      return this.fail(req, res, 'method-not-allowed', { Allow: 'GET, POST, OPTIONS' });
    }
    if (!isRoomId(room)) {
      return this.fail(req, res, 'bad-request', {}, 'The room id must be 22 base64url characters.');
    }
    const wait = this.limiter.take(clientKey(clientAddress(req, this.deps.trustProxy)));
    if (wait > 0) {
      return this.fail(req, res, 'rate-limited', {
        'Retry-After': String(Math.ceil(wait / 1000)),
      });
    }
    if (req.method === 'GET') return this.read(req, res, room);
    return this.write(req, res, room);
  }

  private async read(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    const { limits, store, metrics } = this.deps;
    const query = new URL(req.url ?? '/', 'http://relay.invalid').searchParams;
    const afterRaw = query.get('after') ?? '0';
    const limitRaw = query.get('limit');
    if (!DIGITS.test(afterRaw) || (limitRaw !== null && !DIGITS.test(limitRaw))) {
      return this.fail(req, res, 'bad-request', {}, 'after and limit must be whole numbers.');
    }
    const after = Number(afterRaw);
    const limit = limitRaw === null ? limits.readMaxEntries : Number(limitRaw);
    if (after > Number.MAX_SAFE_INTEGER || limit < 1) {
      return this.fail(req, res, 'bad-request', {}, 'after or limit is out of range.');
    }
    const page = await store.read(
      room,
      after,
      Math.min(limit, limits.readMaxEntries),
      limits.readMaxBytes,
    );
    let total = 1;
    for (const e of page.entries) total += 13 + e.blob.length;
    const out = Buffer.allocUnsafe(total);
    out[0] = 1;
    let o = 1;
    for (const e of page.entries) {
      out.writeBigUInt64BE(BigInt(e.seq), o);
      out[o + 8] = e.kind;
      out.writeUInt32BE(e.blob.length, o + 9);
      out.set(e.blob, o + 13);
      o += 13 + e.blob.length;
    }
    metrics.mailboxRequests.read++;
    const headers: Record<string, string | number> = {
      ...this.deps.origins.corsHeaders(req),
      'Content-Type': 'application/octet-stream',
      'Content-Length': out.length,
      'Cache-Control': 'no-store',
      'X-Hearth-Next': String(page.next),
    };
    if (page.more) headers['X-Hearth-More'] = '1';
    res.writeHead(200, headers);
    res.end(out);
  }

  private async write(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    const { limits, store, metrics, logger, now, tap } = this.deps;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limits.maxBody) {
      res.setHeader('Connection', 'close');
      return this.fail(req, res, 'too-large');
    }
    const read = await readBody(req, limits.maxBody);
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      res.setHeader('Connection', 'close');
      return this.fail(req, res, 'too-large');
    }
    tap?.record(read.body.toString('base64'));
    const body = new Uint8Array(read.body.buffer, read.body.byteOffset, read.body.byteLength);
    let envelope: ReturnType<typeof parseWriteEnvelope>;
    try {
      envelope = parseWriteEnvelope(body);
    } catch (e) {
      if (e instanceof EnvelopeError) return this.fail(req, res, 'bad-request', {}, e.message);
      throw e;
    }
    const at = now();
    if (Math.abs(envelope.timestamp - at) > limits.replayWindowMs) {
      return this.fail(req, res, 'stale');
    }
    if (!verifyEnvelope(room, envelope)) return this.fail(req, res, 'bad-signature');
    // Budgets per client, so one address cannot fill the disk by cycling through fresh keys
    // (each a new room): checked here, charged only once the write is stored.
    const client = clientKey(clientAddress(req, this.deps.trustProxy));
    const size = envelope.payload.length;
    const bytesWait = this.clientBytes.wait(client, size);
    if (bytesWait > 0) return this.fail(req, res, 'budget-bytes', retryAfter(bytesWait));
    const roomsWait = this.newRooms.wait(client, 1);
    const free = this.checkDisk();
    if (free !== null && limits.diskReserveBytes > 0 && free - size < limits.diskReserveBytes) {
      this.noteSpace(true, 'disk', (await store.stats()).bytes);
      return this.fail(req, res, 'relay-full');
    }
    const result = await store.append(
      {
        room,
        publicKey: envelope.publicKey,
        writeId: envelope.writeId,
        timestamp: envelope.timestamp,
        kind: envelope.kind,
        supersedes: envelope.supersedes,
        blob: envelope.payload,
        now: at,
        mayCreateRoom: roomsWait === 0,
      },
      limits,
    );
    if (!result.ok) {
      if (result.code === 'no-new-room') {
        return this.fail(req, res, 'budget-rooms', retryAfter(roomsWait));
      }
      if (result.code === 'relay-full') this.noteSpace(true, 'budget', (await store.stats()).bytes);
      return this.fail(req, res, result.code);
    }
    this.clientBytes.take(client, size);
    if (result.created) this.newRooms.take(client, 1);
    this.noteSpace(false, null, (await store.stats()).bytes);
    metrics.mailboxRequests.write++;
    try {
      this.deps.onWrite?.(room, result.seq);
    } catch (e) {
      logger.error('mailbox notice failed', { error: String(e) });
    }
    logger.debug('mailbox write', {
      room: shortRoom(room),
      seq: result.seq,
      kind: envelope.kind,
      bytes: envelope.payload.length,
      superseded: result.superseded,
    });
    sendJson(res, 200, { seq: result.seq }, this.deps.origins.corsHeaders(req));
  }

  /** Retention and replay-id pruning; run at start and then periodically. */
  async prune(): Promise<PruneResult> {
    const at = this.deps.now();
    const { retentionDays, replayWindowMs } = this.deps.limits;
    const entriesBefore =
      retentionDays > 0 ? at - retentionDays * 86_400_000 : Number.MIN_SAFE_INTEGER;
    this.limiter.sweep();
    this.newRooms.sweep();
    this.clientBytes.sweep();
    return this.deps.store.prune(entriesBefore, at - replayWindowMs);
  }
}
