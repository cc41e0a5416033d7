// HTTP side of invite capsules (docs/PROTOCOL.md, "Invite capsules"): put a sealed capsule
// with its expiry, uses and withdrawal keys; open it (one use); ask how it stands; withdraw it
// with a signed request. Bodies are read under a hard cap and parsed strictly by the same code
// the app writes them with; an unknown, expired, withdrawn or used up room all answer 'gone'.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CAPSULE_MAX_BYTES } from '../app/core/invite/capsule.ts';
import {
  INVITE_MAX_TTL_MS,
  InviteWireError,
  parseCreate,
  parseRevoke,
  REVOKE_BYTES,
} from '../app/core/invite/inviteWire.ts';
import { isRoomId } from './envelope.ts';
import { clientAddress, type OriginPolicy, refuse, sendJson } from './http.ts';
import type { InviteStore } from './inviteStore.ts';
import type { Logger } from './logger.ts';
import { readBody } from './mailbox.ts';
import type { Metrics } from './metrics.ts';
import { KeyedRateLimiter } from './rateLimit.ts';

export interface InviteLimits {
  /** Rooms (live capsules and withdrawn ones not yet expired) the relay keeps at most. */
  maxLive: number;
  /** A request's expiry or withdrawal time may be off the relay's clock by this much. */
  skewMs: number;
  /** Per-IP request budget: burst size and refill per second. */
  rateBurst: number;
  ratePerSecond: number;
}

export const DEFAULT_INVITES: InviteLimits = {
  maxLive: 100_000,
  skewMs: 10 * 60_000,
  rateBurst: 60,
  ratePerSecond: 5,
};

/** The largest create body: header, four keys, the largest capsule, a signature. */
const MAX_CREATE_BODY = 12 + 4 * 32 + CAPSULE_MAX_BYTES + 64;

export type InviteErrorCode =
  | 'bad-request'
  | 'bad-signature'
  | 'not-allowed'
  | 'gone'
  | 'exists'
  | 'stale'
  | 'too-large'
  | 'quota'
  | 'rate-limited'
  | 'origin-not-allowed'
  | 'not-found'
  | 'method-not-allowed';

const STATUS: Record<InviteErrorCode, number> = {
  'bad-request': 400,
  'bad-signature': 403,
  'not-allowed': 403,
  gone: 404,
  exists: 409,
  stale: 409,
  'too-large': 413,
  quota: 507,
  'rate-limited': 429,
  'origin-not-allowed': 403,
  'not-found': 404,
  'method-not-allowed': 405,
};

const MESSAGES: Record<InviteErrorCode, string> = {
  'bad-request': 'The request is malformed.',
  'bad-signature': 'The signature does not verify.',
  'not-allowed': 'This key may not withdraw this invitation.',
  gone: 'There is no invitation here: it expired, was withdrawn, was used up, or never existed.',
  exists: 'This invitation room is taken.',
  stale: 'The time in the request is too far from the relay’s clock; check the device clock.',
  'too-large': 'The body is over the invitation size cap.',
  quota: 'This relay keeps as many invitations as it can; try again later.',
  'rate-limited': 'Too many requests; retry after the time in Retry-After.',
  'origin-not-allowed': 'This relay does not accept requests from this web origin.',
  'not-found': 'No such invitation path.',
  'method-not-allowed': 'Use GET for the state, POST to put, open or withdraw.',
};

export interface InviteDeps {
  store: InviteStore;
  limits: InviteLimits;
  now: () => number;
  metrics: Metrics;
  logger: Logger;
  origins: OriginPolicy;
  trustProxy: boolean;
}

type Action = 'put' | 'status' | 'open' | 'revoke';

export class InviteHandler {
  private readonly limiter: KeyedRateLimiter;

  constructor(private readonly deps: InviteDeps) {
    this.limiter = new KeyedRateLimiter(deps.limits.rateBurst, deps.limits.ratePerSecond, deps.now);
  }

  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    code: InviteErrorCode,
    extra: Record<string, string> = {},
    message = MESSAGES[code],
  ): void {
    refuse(this.deps, 'invite', req, res, { status: STATUS[code], code, message, headers: extra });
  }

  private ok(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    sendJson(res, 200, body, this.deps.origins.corsHeaders(req));
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const { origins } = this.deps;
    if (!origins.allows(req)) return this.fail(req, res, 'origin-not-allowed');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, origins.preflightHeaders(req));
      res.end();
      return;
    }
    const parts = pathname.slice('/invite/'.length).split('/');
    if (!pathname.startsWith('/invite/') || parts.length > 2) {
      return this.fail(req, res, 'not-found');
    }
    const [room = '', verb] = parts;
    let action: Action | undefined;
    if (verb === undefined) action = req.method === 'GET' ? 'status' : 'put';
    else if (verb === 'open' || verb === 'revoke') action = verb;
    else return this.fail(req, res, 'not-found');
    const allowed = verb === undefined ? ['GET', 'POST'] : ['POST'];
    if (!allowed.includes(req.method ?? '')) {
      return this.fail(req, res, 'method-not-allowed', {
        Allow: `${allowed.join(', ')}, OPTIONS`,
      });
    }
    if (!isRoomId(room)) {
      return this.fail(req, res, 'bad-request', {}, 'The room id must be 22 base64url characters.');
    }
    const wait = this.limiter.take(clientAddress(req, this.deps.trustProxy));
    if (wait > 0) {
      return this.fail(req, res, 'rate-limited', { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    switch (action) {
      case 'status':
        return this.status(req, res, room);
      case 'put':
        return this.put(req, res, room);
      case 'open':
        return this.open(req, res, room);
      case 'revoke':
        return this.revoke(req, res, room);
    }
  }

  /** The body under `cap`, or null once an answer (too large) has been sent or the client left. */
  private async body(
    req: IncomingMessage,
    res: ServerResponse,
    cap: number,
  ): Promise<Uint8Array | null> {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > cap) {
      res.setHeader('Connection', 'close');
      this.fail(req, res, 'too-large');
      return null;
    }
    const read = await readBody(req, cap);
    if (!read.ok) {
      if (read.reason === 'aborted') return null;
      res.setHeader('Connection', 'close');
      this.fail(req, res, 'too-large');
      return null;
    }
    return new Uint8Array(read.body.buffer, read.body.byteOffset, read.body.byteLength);
  }

  private async put(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    const { store, limits, now, logger } = this.deps;
    const body = await this.body(req, res, MAX_CREATE_BODY);
    if (!body) return;
    let request: ReturnType<typeof parseCreate>;
    try {
      request = parseCreate(room, body);
    } catch (e) {
      if (!(e instanceof InviteWireError)) throw e;
      if (e.code === 'bad-signature') return this.fail(req, res, 'bad-signature');
      if (e.code === 'too-large') return this.fail(req, res, 'too-large', {}, e.message);
      return this.fail(req, res, 'bad-request', {}, e.message);
    }
    const at = now();
    if (request.expiresAt <= at || request.expiresAt > at + INVITE_MAX_TTL_MS + limits.skewMs) {
      return this.fail(
        req,
        res,
        'bad-request',
        {},
        'The expiry must be in the future and at most 7 days away.',
      );
    }
    const result = await store.put(
      {
        room,
        capsule: request.capsule,
        revokers: request.revokers,
        expiresAt: request.expiresAt,
        maxUses: request.maxUses,
        now: at,
      },
      limits.maxLive,
    );
    if (!result.ok) return this.fail(req, res, result.code);
    logger.debug('invite stored', { bytes: request.capsule.length, uses: request.maxUses });
    this.ok(req, res, { ok: true });
  }

  private async status(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    const status = await this.deps.store.status(room, this.deps.now());
    if (!status) return this.fail(req, res, 'gone');
    this.ok(req, res, status);
  }

  private async open(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    // Nothing is read from the body; a client that sends one gets it refused.
    const body = await this.body(req, res, 0);
    if (!body) return;
    const result = await this.deps.store.open(room, this.deps.now());
    if (!result.ok) return this.fail(req, res, 'gone');
    res.writeHead(200, {
      ...this.deps.origins.corsHeaders(req),
      'Content-Type': 'application/octet-stream',
      'Content-Length': result.capsule.length,
      'Cache-Control': 'no-store',
    });
    res.end(result.capsule);
  }

  private async revoke(req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
    const { store, limits, now } = this.deps;
    const body = await this.body(req, res, REVOKE_BYTES);
    if (!body) return;
    let request: ReturnType<typeof parseRevoke>;
    try {
      request = parseRevoke(room, body);
    } catch (e) {
      if (!(e instanceof InviteWireError)) throw e;
      if (e.code === 'bad-signature') return this.fail(req, res, 'bad-signature');
      return this.fail(req, res, 'bad-request', {}, e.message);
    }
    const at = now();
    if (Math.abs(request.timestamp - at) > limits.skewMs) return this.fail(req, res, 'stale');
    const result = await store.revoke(room, request.revoker, at);
    if (!result.ok) return this.fail(req, res, result.code);
    this.ok(req, res, { ok: true });
  }

  /** Forgets expired rooms and idle rate buckets; run at start and then periodically. */
  async prune(): Promise<number> {
    this.limiter.sweep();
    return this.deps.store.prune(this.deps.now());
  }
}
