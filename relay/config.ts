// Turns the environment into a checked relay configuration. A wrong value stops the relay
// at start with a sentence naming the variable, instead of surprising a member later.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HearthError } from '../app/core/errors.ts';
import type { LogLevel } from './logger.ts';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface MailboxLimits {
  /** Sealed bytes one room may hold. */
  roomMaxBytes: number;
  /** Entries one room may hold. */
  roomMaxEntries: number;
  /** Entries older than this are deleted; 0 keeps them forever. */
  retentionDays: number;
  /** Largest accepted write request body. */
  maxBody: number;
  /** A write's timestamp may differ from the relay's clock by at most this much. */
  replayWindowMs: number;
  /** Most entries one read answers. */
  readMaxEntries: number;
  /** Most blob bytes one read answers (a single larger entry is still sent alone). */
  readMaxBytes: number;
  /** How often retention and replay-id pruning run. */
  pruneIntervalMs: number;
  /** Per-IP request budget: burst size and refill per second. */
  rateBurst: number;
  ratePerSecond: number;
  /**
   * Sealed bytes the whole mailbox may hold, all rooms together; a write that would pass it
   * is refused (507 relay-full), a snapshot that frees as much as it adds still goes in.
   */
  totalMaxBytes: number;
  /** Free disk space below which writes are refused as relay-full; 0 turns the check off. */
  diskReserveBytes: number;
  /** New rooms one client (an IPv4 address or an IPv6 /64) may create per day. */
  clientNewRoomsPerDay: number;
  /** Sealed bytes one client (an IPv4 address or an IPv6 /64) may write per day. */
  clientBytesPerDay: number;
}

export interface SignalingLimits {
  /** Frames larger than this are dropped and counted as a violation. */
  maxFrameBytes: number;
  /** Frames larger than this close the connection (WebSocket maxPayload). */
  hardMaxFrameBytes: number;
  maxTopicsPerConnection: number;
  maxTopicLength: number;
  /** Deepest JSON nesting accepted inside a published frame's data. */
  maxDepth: number;
  heartbeatMs: number;
  /** A receiver with more unsent bytes than this is terminated. */
  maxBufferedBytes: number;
  frameBurst: number;
  framesPerSecond: number;
  byteBurst: number;
  bytesPerSecond: number;
  /** Violations after which a connection is closed. */
  maxViolations: number;
  maxConnectionsPerIp: number;
}

export interface RelayConfig {
  port: number;
  host: string;
  dataDir: string;
  /** null: serve no app files (API only). */
  staticDir: string | null;
  /** null: any origin may connect. */
  origins: string[] | null;
  iceServers: IceServer[];
  tls: { certFile: string; keyFile: string } | null;
  trustProxy: boolean;
  testTap: boolean;
  logLevel: LogLevel;
  mailbox: MailboxLimits;
  signaling: SignalingLimits;
  /** Bearer token /metrics asks for; null leaves it open (the Caddyfile hides it). */
  metricsToken: string | null;
  /** Other relays' origins the app served here may connect to (CSP connect-src). */
  connectRelays: string[];
  /**
   * postgres:// URL (HEARTH_DATABASE_URL): mailbox, invites and signaling between processes
   * on PostgreSQL instead of SQLite in dataDir. null: SQLite, one process.
   */
  databaseUrl: string | null;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_MAILBOX: MailboxLimits = {
  roomMaxBytes: 64 * MiB,
  roomMaxEntries: 20_000,
  retentionDays: 90,
  maxBody: 8 * MiB,
  replayWindowMs: 10 * 60_000,
  readMaxEntries: 500,
  readMaxBytes: 16 * MiB,
  pruneIntervalMs: 10 * 60_000,
  rateBurst: 120,
  ratePerSecond: 20,
  totalMaxBytes: 4 * GiB,
  diskReserveBytes: 512 * MiB,
  clientNewRoomsPerDay: 20,
  clientBytesPerDay: 256 * MiB,
};

export const DEFAULT_SIGNALING: SignalingLimits = {
  maxFrameBytes: 64 * KiB,
  hardMaxFrameBytes: 256 * KiB,
  maxTopicsPerConnection: 64,
  maxTopicLength: 256,
  maxDepth: 32,
  heartbeatMs: 30_000,
  maxBufferedBytes: 4 * MiB,
  frameBurst: 400,
  framesPerSecond: 100,
  byteBurst: 4 * MiB,
  bytesPerSecond: 1 * MiB,
  maxViolations: 20,
  maxConnectionsPerIp: 64,
};

const DEFAULT_STATIC = './dist';

export const DEFAULT_CONFIG: RelayConfig = {
  port: 8787,
  host: '0.0.0.0',
  dataDir: './data',
  staticDir: DEFAULT_STATIC,
  origins: null,
  iceServers: [],
  tls: null,
  trustProxy: false,
  testTap: false,
  logLevel: 'info',
  mailbox: DEFAULT_MAILBOX,
  signaling: DEFAULT_SIGNALING,
  metricsToken: null,
  connectRelays: [],
  databaseUrl: null,
};

export type ConfigErrorCode =
  | 'not-a-number'
  | 'out-of-range'
  | 'bad-size'
  | 'bad-flag'
  | 'bad-origin'
  | 'bad-ice-server'
  | 'incomplete'
  | 'conflict'
  | 'missing-file'
  | 'bad-log-level'
  | 'bad-token'
  | 'bad-database-url';

/** A wrong environment variable; the message names it and is for whoever runs the relay. */
export class ConfigError extends HearthError<ConfigErrorCode> {
  override readonly name = 'ConfigError';
  constructor(code: ConfigErrorCode, message: string) {
    super(code, message);
  }
}

type Env = Record<string, string | undefined>;

const get = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

function integer(env: Env, name: string, min: number, max: number, fallback: number): number {
  const raw = get(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError('not-a-number', `${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max)
    throw new ConfigError('out-of-range', `${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: KiB,
  kb: KiB,
  kib: KiB,
  m: MiB,
  mb: MiB,
  mib: MiB,
  g: GiB,
  gb: GiB,
  gib: GiB,
};

/** Parses "65536", "64MiB", "8 MB" (units are binary: 1 MB = 1024 KiB here). */
export function parseSize(name: string, raw: string, min: number, max: number): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(raw);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new ConfigError(
      'bad-size',
      `${name} must be a size like 65536, 512KiB or 64MiB, got "${raw}"`,
    );
  }
  const n = Number(m[1]) * unit;
  if (n < min || n > max) {
    throw new ConfigError(
      'out-of-range',
      `${name} must be between ${min} and ${max} bytes, got ${n}`,
    );
  }
  return n;
}

function size(env: Env, name: string, min: number, max: number, fallback: number): number {
  const raw = get(env, name);
  return raw === undefined ? fallback : parseSize(name, raw, min, max);
}

function flag(env: Env, name: string): boolean {
  const raw = get(env, name)?.toLowerCase();
  if (raw === undefined || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new ConfigError('bad-flag', `${name} must be 1 or 0, got "${raw}"`);
}

function parseOrigins(raw: string, name = 'HEARTH_ORIGINS'): string[] {
  return raw.split(',').map((item) => {
    const text = item.trim();
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ConfigError(
        'bad-origin',
        `${name} holds "${text}", which is not an origin like https://hearth.example.org`,
      );
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.pathname !== '/' ||
      url.search ||
      url.hash ||
      url.username
    ) {
      throw new ConfigError(
        'bad-origin',
        `${name} holds "${text}": give only scheme, host and port, like https://hearth.example.org`,
      );
    }
    return url.origin;
  });
}

const ICE_SCHEME = /^(stun|stuns|turn|turns):[^\s]+$/;

function checkIceUrl(name: string, url: unknown): string {
  if (typeof url !== 'string' || !ICE_SCHEME.test(url)) {
    throw new ConfigError(
      'bad-ice-server',
      `${name} holds ${JSON.stringify(url)}, which is not a stun:, stuns:, turn: or turns: URL`,
    );
  }
  return url;
}

/** Validates one RTCIceServer-shaped object from HEARTH_ICE_SERVERS. */
export function parseIceServers(raw: string): IceServer[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'bad-ice-server',
      'HEARTH_ICE_SERVERS must be a JSON array, like [{"urls":"stun:host:3478"}]',
    );
  }
  if (!Array.isArray(value))
    throw new ConfigError('bad-ice-server', 'HEARTH_ICE_SERVERS must be a JSON array');
  return value.map((item: unknown, i): IceServer => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ConfigError(
        'bad-ice-server',
        `HEARTH_ICE_SERVERS[${i}] must be an object with "urls"`,
      );
    }
    const o = item as Record<string, unknown>;
    const name = `HEARTH_ICE_SERVERS[${i}].urls`;
    const urls = Array.isArray(o.urls)
      ? o.urls.map((u) => checkIceUrl(name, u))
      : checkIceUrl(name, o.urls);
    const server: IceServer = { urls };
    for (const field of ['username', 'credential'] as const) {
      if (o[field] === undefined) continue;
      if (typeof o[field] !== 'string') {
        throw new ConfigError(
          'bad-ice-server',
          `HEARTH_ICE_SERVERS[${i}].${field} must be a string`,
        );
      }
      server[field] = o[field];
    }
    const isTurn = (Array.isArray(urls) ? urls : [urls]).some((u) => u.startsWith('turn'));
    if (isTurn && (server.username === undefined || server.credential === undefined)) {
      throw new ConfigError(
        'incomplete',
        `HEARTH_ICE_SERVERS[${i}] is a TURN server: give username and credential`,
      );
    }
    return server;
  });
}

function iceServersFrom(env: Env): IceServer[] {
  const json = get(env, 'HEARTH_ICE_SERVERS');
  const stun = get(env, 'HEARTH_STUN_URLS');
  const turn = get(env, 'HEARTH_TURN_URL');
  const username = get(env, 'HEARTH_TURN_USERNAME');
  const credential = get(env, 'HEARTH_TURN_CREDENTIAL');
  if (json !== undefined) {
    if (stun || turn || username || credential) {
      throw new ConfigError(
        'conflict',
        'Set either HEARTH_ICE_SERVERS or HEARTH_STUN_URLS / HEARTH_TURN_*, not both',
      );
    }
    return parseIceServers(json);
  }
  const servers: IceServer[] = [];
  if (stun !== undefined) {
    const urls = stun.split(',').map((u) => checkIceUrl('HEARTH_STUN_URLS', u.trim()));
    // A TURN URL without credentials makes browsers refuse the whole peer connection.
    const turnHere = urls.find((u) => u.startsWith('turn'));
    if (turnHere !== undefined) {
      throw new ConfigError(
        'bad-ice-server',
        `HEARTH_STUN_URLS holds ${JSON.stringify(turnHere)}, a TURN server: put it in ` +
          'HEARTH_TURN_URL, with HEARTH_TURN_USERNAME and HEARTH_TURN_CREDENTIAL',
      );
    }
    servers.push({ urls: urls.length === 1 ? urls[0]! : urls });
  }
  if (turn !== undefined) {
    if (username === undefined || credential === undefined) {
      throw new ConfigError(
        'incomplete',
        'HEARTH_TURN_URL needs HEARTH_TURN_USERNAME and HEARTH_TURN_CREDENTIAL as well',
      );
    }
    const urls = turn.split(',').map((u) => checkIceUrl('HEARTH_TURN_URL', u.trim()));
    servers.push({ urls: urls.length === 1 ? urls[0]! : urls, username, credential });
  } else if (username !== undefined || credential !== undefined) {
    throw new ConfigError(
      'incomplete',
      'HEARTH_TURN_USERNAME and HEARTH_TURN_CREDENTIAL need HEARTH_TURN_URL',
    );
  }
  return servers;
}

function tlsFrom(env: Env, cwd: string): RelayConfig['tls'] {
  const cert = get(env, 'HEARTH_TLS_CERT');
  const key = get(env, 'HEARTH_TLS_KEY');
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined) {
    throw new ConfigError('incomplete', 'HEARTH_TLS_CERT and HEARTH_TLS_KEY must be set together');
  }
  const certFile = path.resolve(cwd, cert);
  const keyFile = path.resolve(cwd, key);
  for (const [name, file] of [
    ['HEARTH_TLS_CERT', certFile],
    ['HEARTH_TLS_KEY', keyFile],
  ] as const) {
    if (!existsSync(file))
      throw new ConfigError('missing-file', `${name} points to ${file}, which does not exist`);
  }
  return { certFile, keyFile };
}

function logLevel(env: Env): LogLevel {
  const raw = get(env, 'HEARTH_LOG') ?? 'info';
  if (raw === 'info' || raw === 'debug' || raw === 'silent') return raw;
  throw new ConfigError('bad-log-level', `HEARTH_LOG must be info, debug or silent, got "${raw}"`);
}

function metricsToken(env: Env): string | null {
  const token = get(env, 'HEARTH_METRICS_TOKEN');
  if (token === undefined) return null;
  if (token.length < 16 || token.length > 512 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError(
      'bad-token',
      'HEARTH_METRICS_TOKEN must be 16 to 512 printable characters without spaces, e.g. the output of `openssl rand -hex 32`',
    );
  }
  return token;
}

/**
 * HEARTH_STATIC: the folder of the built app, or `off` when the app is served elsewhere (a
 * static host of the operator's choice) and the relay answers only its API.
 */
function staticDir(env: Env, cwd: string): string | null {
  const raw = get(env, 'HEARTH_STATIC') ?? DEFAULT_STATIC;
  return raw.toLowerCase() === 'off' ? null : path.resolve(cwd, raw);
}

function databaseUrl(env: Env): string | null {
  const url = get(env, 'HEARTH_DATABASE_URL');
  if (url === undefined) return null;
  if (!/^postgres(ql)?:\/\/\S+$/.test(url)) {
    throw new ConfigError(
      'bad-database-url',
      'HEARTH_DATABASE_URL must be a PostgreSQL URL like postgres://hearth:password@db.example.org:5432/hearth (leave it unset to use SQLite in HEARTH_DATA)',
    );
  }
  return url;
}

/** Reads the relay's configuration from environment variables; throws ConfigError. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): RelayConfig {
  const host = get(env, 'HOST') ?? DEFAULT_CONFIG.host;
  const originsRaw = get(env, 'HEARTH_ORIGINS');
  const retentionDays = integer(env, 'HEARTH_RETENTION_DAYS', 0, 36_500, 90);
  return {
    port: integer(env, 'PORT', 0, 65_535, DEFAULT_CONFIG.port),
    host,
    dataDir: path.resolve(cwd, get(env, 'HEARTH_DATA') ?? DEFAULT_CONFIG.dataDir),
    staticDir: staticDir(env, cwd),
    origins: originsRaw === undefined ? null : parseOrigins(originsRaw),
    iceServers: iceServersFrom(env),
    tls: tlsFrom(env, cwd),
    trustProxy: flag(env, 'HEARTH_TRUST_PROXY'),
    testTap: flag(env, 'HEARTH_TEST_TAP'),
    logLevel: logLevel(env),
    mailbox: {
      ...DEFAULT_MAILBOX,
      roomMaxBytes: size(env, 'HEARTH_ROOM_MAX_BYTES', KiB, 64 * GiB, DEFAULT_MAILBOX.roomMaxBytes),
      roomMaxEntries: integer(env, 'HEARTH_ROOM_MAX_ENTRIES', 1, 100_000_000, 20_000),
      retentionDays,
      maxBody: size(env, 'HEARTH_MAILBOX_MAX_BODY', KiB, 256 * MiB, DEFAULT_MAILBOX.maxBody),
      totalMaxBytes: size(
        env,
        'HEARTH_MAILBOX_BUDGET',
        MiB,
        16 * 1024 * GiB,
        DEFAULT_MAILBOX.totalMaxBytes,
      ),
      diskReserveBytes: size(
        env,
        'HEARTH_DISK_RESERVE',
        0,
        1024 * GiB,
        DEFAULT_MAILBOX.diskReserveBytes,
      ),
      clientNewRoomsPerDay: integer(
        env,
        'HEARTH_CLIENT_NEW_ROOMS_PER_DAY',
        1,
        1_000_000,
        DEFAULT_MAILBOX.clientNewRoomsPerDay,
      ),
      clientBytesPerDay: size(
        env,
        'HEARTH_CLIENT_BYTES_PER_DAY',
        KiB,
        1024 * GiB,
        DEFAULT_MAILBOX.clientBytesPerDay,
      ),
    },
    metricsToken: metricsToken(env),
    databaseUrl: databaseUrl(env),
    connectRelays: ((raw) => (raw === undefined ? [] : parseOrigins(raw, 'HEARTH_RELAYS')))(
      get(env, 'HEARTH_RELAYS'),
    ),
    signaling: {
      ...DEFAULT_SIGNALING,
      maxConnectionsPerIp: integer(
        env,
        'HEARTH_MAX_CONNECTIONS_PER_IP',
        1,
        1_000_000,
        DEFAULT_SIGNALING.maxConnectionsPerIp,
      ),
    },
  };
}
