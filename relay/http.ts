// Response helpers every route shares: security headers, CORS for the cross-origin API,
// the Origin allow-list and the client address (optionally from a trusted reverse proxy).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/** Headers every answer carries, whatever the request. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** HSTS for a year, sent only on answers that went out over HTTPS. */
export const HSTS = 'max-age=31536000';

/**
 * The Content-Security-Policy: the app may connect only to `connect` (its own origin and the
 * relays the host configured), besides 'self'.
 */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    `connect-src ${["'self'", ...connect].join(' ')}; worker-src 'self'; manifest-src 'self'; ` +
    "media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; " +
    "frame-ancestors 'none'"
  );
}

/** The http(s) and ws(s) forms of each origin, e.g. https://a.org -> https://a.org wss://a.org. */
export function connectSourcesOf(origins: readonly string[]): string[] {
  const out: string[] = [];
  for (const origin of origins) {
    const ws = origin.replace(/^http/, 'ws');
    out.push(origin, ws);
  }
  return out;
}

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Whether the request reached the relay over HTTPS: its own TLS, or a trusted proxy's. */
export function isHttps(req: IncomingMessage, tls: boolean, trustProxy: boolean): boolean {
  if (tls) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  const last = (Array.isArray(proto) ? proto.join(',') : proto)?.split(',').pop()?.trim();
  return last?.toLowerCase() === 'https';
}

export interface SecurityContext {
  /** The answer goes out over HTTPS (TLS here or at a trusted proxy). */
  https: boolean;
  /** connect-src sources besides 'self' and this host's WebSocket origin. */
  connect: readonly string[];
}

/**
 * Sets the security headers on an answer: the fixed ones, the CSP (connect-src: this origin,
 * its WebSocket form from the Host header when it is a plain host name, and the configured
 * relays), and HSTS when the request came over HTTPS.
 */
export function setSecurityHeaders(
  res: ServerResponse,
  req?: IncomingMessage,
  context: SecurityContext = { https: false, connect: [] },
): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const host = req?.headers.host;
  const self =
    host !== undefined && HOST.test(host) ? [`${context.https ? 'wss' : 'ws'}://${host}`] : [];
  res.setHeader('Content-Security-Policy', contentSecurityPolicy([...self, ...context.connect]));
  if (context.https) res.setHeader('Strict-Transport-Security', HSTS);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** What an API handler needs to refuse a request the same way everywhere. */
export interface RefusalDeps {
  readonly metrics: { reject(reason: string): void };
  readonly logger: { debug(msg: string, fields?: Record<string, unknown>): void };
  readonly origins: { corsHeaders(req: IncomingMessage): Record<string, string> };
}

/**
 * Refuses an API request of `area` ('mailbox', 'invite'): counted in /metrics, logged at
 * debug, answered as JSON `{ error, message }` with the CORS headers the origin gets.
 */
export function refuse(
  deps: RefusalDeps,
  area: string,
  req: IncomingMessage,
  res: ServerResponse,
  answer: { status: number; code: string; message: string; headers?: Record<string, string> },
): void {
  deps.metrics.reject(`${area}-${answer.code}`);
  deps.logger.debug(`${area} request refused`, { code: answer.code });
  sendJson(
    res,
    answer.status,
    { error: answer.code, message: answer.message },
    { ...deps.origins.corsHeaders(req), ...answer.headers },
  );
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain',
): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Origin allow-list shared by WebSocket upgrades and the HTTP API. */
export class OriginPolicy {
  private readonly allowed: Set<string> | null;

  constructor(origins: readonly string[] | null) {
    this.allowed = origins ? new Set(origins) : null;
  }

  get restricted(): boolean {
    return this.allowed !== null;
  }

  /**
   * A request without Origin (same-origin GETs, non-browser tools) and a same-origin request
   * pass; with an allow-list, any other Origin must be listed.
   */
  allows(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!this.allowed || origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    const host = req.headers.host;
    if (host === undefined) return false;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  /** CORS headers for /mailbox and /config. */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const base = {
      'Access-Control-Expose-Headers': 'X-Hearth-Next, X-Hearth-More, Retry-After',
    };
    if (!this.allowed) return { ...base, 'Access-Control-Allow-Origin': '*' };
    const origin = req.headers.origin;
    if (origin === undefined || !this.allows(req)) return { ...base, Vary: 'Origin' };
    return { ...base, 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }

  preflightHeaders(req: IncomingMessage): Record<string, string> {
    return {
      ...this.corsHeaders(req),
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '86400',
    };
  }
}

/** The peer address; with trustProxy, the address the nearest proxy put in X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = list?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Who a client is for budgets and request limits: an IPv4 address as it is, an IPv6 address
 * by its /64 (one home or phone gets a whole /64, so counting addresses apart would let it
 * take billions of turns), an IPv4-mapped IPv6 address as its IPv4 address.
 */
export function clientKey(address: string): string {
  let ip = address.trim();
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(ip)) return ip.slice(0, 64);
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail stands for two groups; only the first four groups matter here.
  const rightGroups = right.length + (right.at(-1)?.includes('.') ? 1 : 0);
  const leftGroups = left.length + (tail === undefined && left.at(-1)?.includes('.') ? 1 : 0);
  const zeros = tail === undefined ? 0 : 8 - leftGroups - rightGroups;
  const groups = [...left, ...Array<string>(Math.max(0, zeros)).fill('0'), ...right];
  const prefix = groups
    .slice(0, 4)
    .map((g) => (g.includes('.') ? '0' : Number.parseInt(g, 16).toString(16)));
  return `${prefix.join(':')}::/64`;
}
