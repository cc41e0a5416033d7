// Response helpers every route shares: security headers, CORS for the cross-origin API,
// the Origin allow-list and the client address (optionally from a trusted reverse proxy).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    "connect-src 'self' ws: wss: http: https:; worker-src 'self'; manifest-src 'self'; " +
    "media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; " +
    "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
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
