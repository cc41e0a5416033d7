// Wires the relay together: one HTTP(S) server carrying the app files, the signaling
// WebSocket, the mailbox, /config, /healthz and /metrics. createRelay() is what main.ts and
// the tests start (on port 0), and close() is the graceful shutdown SIGTERM triggers.
import { createHash, timingSafeEqual } from 'node:crypto';
import { statfsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  DEFAULT_CONFIG,
  DEFAULT_MAILBOX,
  DEFAULT_SIGNALING,
  type IceServer,
  type MailboxLimits,
  type SignalingLimits,
} from './config.ts';
import {
  clientAddress,
  clientKey,
  connectSourcesOf,
  isHttps,
  OriginPolicy,
  sendJson,
  sendText,
  setSecurityHeaders,
} from './http.ts';
import type { InviteStore } from './inviteStore.ts';
import { DEFAULT_INVITES, InviteHandler, type InviteLimits } from './invites.ts';
import { createLogger, type Logger, type LogLevel } from './logger.ts';
import { MailboxHandler } from './mailbox.ts';
import type { MailboxStats, MailboxStore, PruneResult } from './mailboxStore.ts';
import { Metrics } from './metrics.ts';
import { KeyedRateLimiter } from './rateLimit.ts';
import type { SignalBus } from './signalBus.ts';
import { SIGNALING_PATHS, SignalingServer } from './signaling.ts';
import { SqliteInviteStore } from './sqliteInviteStore.ts';
import { SqliteMailboxStore } from './sqliteMailboxStore.ts';
import { StaticFiles } from './static.ts';
import { TestTap } from './testTap.ts';

export interface RelayOptions {
  /** Default 8787; 0 picks a free port (see Relay.address after listen). */
  port?: number;
  /** Default 0.0.0.0. */
  host?: string;
  /** Folder of the SQLite file, created if missing. Default ./data. Ignored with `store`. */
  dataDir?: string;
  /** Built app folder; null serves no app. Default ./dist. */
  staticDir?: string | null;
  /** Origin allow-list for WebSocket and the HTTP API; null or absent allows any. */
  origins?: readonly string[] | null;
  /** Returned by GET /config; empty by default (a LAN needs none). */
  iceServers?: IceServer[];
  /** PEM certificate and key: serve HTTPS and WSS directly. */
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  /** Take the client address from X-Forwarded-For (set when behind Caddy or nginx). */
  trustProxy?: boolean;
  /** TEST ONLY: record received frames and bodies, served at GET /__test/received. */
  testTap?: boolean;
  logLevel?: LogLevel;
  logger?: Logger;
  mailbox?: Partial<MailboxLimits>;
  signaling?: Partial<SignalingLimits>;
  /** The relay's clock in ms (mailbox timestamps, retention); injectable for tests. */
  now?: () => number;
  /** Another MailboxStore implementation instead of SQLite in dataDir. */
  store?: MailboxStore;
  /** Limits of the invite capsule endpoints. */
  invites?: Partial<InviteLimits>;
  /** Another InviteStore implementation instead of SQLite in dataDir. */
  inviteStore?: InviteStore;
  /**
   * Free bytes on the mailbox's disk (null: unknown). Default: the file system of dataDir
   * when the mailbox is SQLite there, else unknown (the free-space check is then off).
   */
  diskFree?: () => number | null;
  /**
   * Origins of other relays the app served here may connect to (CSP connect-src), such as
   * https://other.example.org; its own origin is always allowed.
   */
  connectRelays?: readonly string[];
  /** Bearer token GET /metrics asks for; null or absent leaves it open. */
  metricsToken?: string | null;
  /** Requests per client to /metrics: burst and refill per second. Default 10 and 1. */
  metricsRate?: { burst: number; perSecond: number };
  /** Signaling shared with other relay processes (see relay/postgres.ts); closed with the relay. */
  signalBus?: SignalBus | null;
}

export interface Relay {
  /** Starts listening and runs the first retention pass. */
  listen(): Promise<AddressInfo>;
  /** Stops accepting, says goodbye to WebSocket clients, finishes writes, closes the store. */
  close(): Promise<void>;
  /** Where the relay listens; null before listen(). */
  readonly address: AddressInfo | null;
  /** Base URL such as http://127.0.0.1:41234 (after listen). */
  readonly url: string;
  readonly metrics: Metrics;
  readonly store: MailboxStore;
  /** Runs retention and replay-id pruning now. */
  prune(): Promise<PruneResult>;
  /** Open signaling connections and topics. */
  signalingStats(): { connections: number; topics: number };
  mailboxStats(): Promise<MailboxStats>;
}

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

const SERVER_OPTIONS = {
  maxHeaderSize: 16 * 1024,
  requestTimeout: 120_000,
  headersTimeout: 20_000,
  keepAliveTimeout: 5_000,
};

function pathOf(url: string | undefined): string | null {
  if (!url?.startsWith('/')) return null;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function createRelay(options: RelayOptions = {}): Relay {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const clock = options.now ?? Date.now;
  // TEST ONLY (with testTap): POST /__test/clock?advance=<ms> moves the relay's clock on, so a
  // browser test can see an invitation expire without waiting for it.
  let clockOffset = 0;
  const now = () => clock() + clockOffset;
  const mailboxLimits: MailboxLimits = { ...DEFAULT_MAILBOX, ...options.mailbox };
  const signalingLimits: SignalingLimits = { ...DEFAULT_SIGNALING, ...options.signaling };
  const metrics = new Metrics();
  const origins = new OriginPolicy(options.origins ?? null);
  const trustProxy = options.trustProxy ?? false;
  const tap = options.testTap ? new TestTap() : null;
  const store = options.store ?? new SqliteMailboxStore(options.dataDir ?? DEFAULT_CONFIG.dataDir);
  const inviteStore =
    options.inviteStore ?? new SqliteInviteStore(options.dataDir ?? DEFAULT_CONFIG.dataDir);
  const iceServers = options.iceServers ?? [];
  const staticDir = options.staticDir === undefined ? DEFAULT_CONFIG.staticDir : options.staticDir;
  const files = staticDir === null ? null : new StaticFiles(staticDir);

  const connectSources = connectSourcesOf(options.connectRelays ?? []);
  const metricsToken = options.metricsToken ?? null;
  const metricsRate = options.metricsRate ?? { burst: 10, perSecond: 1 };
  const metricsLimiter = new KeyedRateLimiter(
    metricsRate.burst,
    metricsRate.perSecond,
    now,
    10_000,
  );
  const dataDir = options.dataDir ?? DEFAULT_CONFIG.dataDir;
  const diskFree =
    options.diskFree ??
    (options.store
      ? undefined
      : () => {
          const fs = statfsSync(dataDir);
          return fs.bavail * fs.bsize;
        });
  const mailbox = new MailboxHandler({
    diskFree,
    store,
    limits: mailboxLimits,
    now,
    metrics,
    logger,
    origins,
    trustProxy,
    tap,
    // The signaling server exists by the time a write can arrive.
    onWrite: (room, seq) => signaling.notifyMailbox(room, seq),
  });
  const invites = new InviteHandler({
    store: inviteStore,
    limits: { ...DEFAULT_INVITES, ...options.invites },
    now,
    metrics,
    logger,
    origins,
    trustProxy,
  });
  const signaling = new SignalingServer({
    limits: signalingLimits,
    metrics,
    logger,
    origins,
    trustProxy,
    tap,
    bus: options.signalBus ?? null,
  });

  const inflight = new Set<Promise<void>>();
  let closing = false;
  let closed: Promise<void> | null = null;
  let pruneTimer: NodeJS.Timeout | null = null;
  let address: AddressInfo | null = null;

  const prune = async (): Promise<PruneResult> => {
    metricsLimiter.sweep();
    const result = await mailbox.prune();
    if (result.expiredEntries > 0 || result.forgottenWriteIds > 0) {
      logger.debug('mailbox pruned', { ...result });
    }
    const expiredInvites = await invites.prune();
    if (expiredInvites > 0) logger.debug('invites expired', { count: expiredInvites });
    return result;
  };

  const sendConfig = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, origins.preflightHeaders(req));
      res.end();
      return;
    }
    sendJson(res, 200, { iceServers, mailbox: true }, origins.corsHeaders(req));
  };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    setSecurityHeaders(res, req, {
      https: isHttps(req, Boolean(options.tls), trustProxy),
      connect: connectSources,
    });
    if (closing) {
      res.setHeader('Connection', 'close');
      return sendText(res, 503, 'The relay is shutting down.');
    }
    const pathname = pathOf(req.url);
    if (pathname === null) return sendText(res, 400, 'Bad request');
    if (pathname === '/mailbox' || pathname.startsWith('/mailbox/')) {
      return mailbox.handle(req, res, pathname);
    }
    if (pathname === '/invite' || pathname.startsWith('/invite/')) {
      return invites.handle(req, res, pathname);
    }
    switch (pathname) {
      case '/healthz':
        return sendJson(res, 200, { ok: true });
      case '/config':
        return sendConfig(req, res);
      case '/metrics': {
        const wait = metricsLimiter.take(clientKey(clientAddress(req, trustProxy)));
        if (wait > 0) {
          metrics.reject('metrics-rate-limited');
          res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
          return sendText(res, 429, 'Too many requests; retry after the time in Retry-After.');
        }
        if (metricsToken !== null && !bearerMatches(req.headers.authorization, metricsToken)) {
          metrics.reject('metrics-unauthorized');
          res.setHeader('WWW-Authenticate', 'Bearer realm="hearth-metrics"');
          return sendText(
            res,
            401,
            'This relay asks for its metrics token (HEARTH_METRICS_TOKEN).',
          );
        }
        // Counters kept as writes happen: no query per request.
        const stats = await store.stats();
        const space = mailbox.space();
        const body = metrics.render({
          connections: signaling.connectionCount,
          topics: signaling.topicCount,
          mailboxRooms: stats.rooms,
          mailboxBytes: stats.bytes,
          mailboxBudgetBytes: mailboxLimits.totalMaxBytes,
          mailboxFull: space.full,
          mailboxNearlyFull: space.nearlyFull,
          diskFreeBytes: space.diskFree,
        });
        return sendText(res, 200, body, 'text/plain; version=0.0.4');
      }
      case '/__test/received':
        if (tap) return sendJson(res, 200, tap.list());
        break;
      case '/__test/clock': {
        if (!tap || req.method !== 'POST') break;
        const advance = new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('advance');
        if (advance === null || !/^\d{1,12}$/.test(advance)) {
          return sendText(res, 400, 'advance must be a whole number of ms');
        }
        clockOffset += Number(advance);
        return sendJson(res, 200, { now: now() });
      }
    }
    if (!files) return sendText(res, 404, 'Not found');
    return files.handle(req, res, pathname);
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const work = route(req, res)
      .catch((e: unknown) => {
        logger.error('request failed', { error: String(e) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Internal error.' });
        else res.destroy();
      })
      .finally(() => inflight.delete(work));
    inflight.add(work);
  };

  const server = options.tls
    ? https.createServer(
        { ...SERVER_OPTIONS, cert: options.tls.cert, key: options.tls.key },
        onRequest,
      )
    : http.createServer(SERVER_OPTIONS, onRequest);
  server.maxHeadersCount = 100;

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const pathname = pathOf(req.url);
    if (pathname !== null && SIGNALING_PATHS.has(pathname)) {
      signaling.handleUpgrade(req, socket, head);
      return;
    }
    socket.once('finish', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    metrics.reject('http-client-error');
    if (!socket.writable) return socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  const relay: Relay = {
    get address() {
      return address;
    },
    get url() {
      if (!address) throw new Error('The relay is not listening yet; call listen() first.');
      const wildcard = address.address === '0.0.0.0' || address.address === '::';
      const host = wildcard
        ? 'localhost'
        : address.family === 'IPv6'
          ? `[${address.address}]`
          : address.address;
      return `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
    },
    metrics,
    store,
    prune,
    signalingStats: () => ({
      connections: signaling.connectionCount,
      topics: signaling.topicCount,
    }),
    mailboxStats: () => store.stats(),

    async listen() {
      await prune();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(
          options.port ?? DEFAULT_CONFIG.port,
          options.host ?? DEFAULT_CONFIG.host,
          () => {
            server.off('error', reject);
            resolve();
          },
        );
      });
      address = server.address() as AddressInfo;
      pruneTimer = setInterval(() => {
        prune().catch((e: unknown) => logger.error('mailbox prune failed', { error: String(e) }));
      }, mailboxLimits.pruneIntervalMs);
      pruneTimer.unref();
      logger.info('relay listening', { port: address.port, tls: Boolean(options.tls) });
      return address;
    },

    close() {
      closed ??= (async () => {
        closing = true;
        if (pruneTimer) clearInterval(pruneTimer);
        const stopped = new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
        });
        server.closeIdleConnections();
        await signaling.close();
        await options.signalBus?.close();
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
        server.closeAllConnections();
        await stopped;
        await inviteStore.close();
        await store.close();
        logger.info('relay stopped');
      })();
      return closed;
    },
  };
  return relay;
}
