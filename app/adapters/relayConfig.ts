// The relay tells the app which STUN/TURN servers to use (GET /config), so WebRTC never
// falls back to a library's public defaults. Anything invalid is dropped; an unreachable
// relay means no ICE servers, which still works on one local network.
import { readCappedText, SMALL_ANSWER_BYTES } from './readCapped.ts';

export interface RelayConfig {
  readonly iceServers: RTCIceServer[];
  /** False when /config could not be fetched or read; iceServers is then []. */
  readonly reachable: boolean;
}

const MAX_SERVERS = 8;
const MAX_URLS = 8;
const ICE_URL = /^(stun|stuns|turn|turns):[^\s]{1,500}$/;

const isShortString = (x: unknown): x is string => typeof x === 'string' && x.length <= 500;

/** Keeps only well-formed entries: urls (stun:, stuns:, turn:, turns:), username, credential. */
export function parseIceServers(json: unknown): RTCIceServer[] {
  const list = (json as { iceServers?: unknown } | null)?.iceServers;
  if (!Array.isArray(list)) return [];
  const out: RTCIceServer[] = [];
  for (const entry of list) {
    if (out.length >= MAX_SERVERS) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const { urls, username, credential } = entry as Record<string, unknown>;
    const all = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : [];
    const good = all.filter((u): u is string => typeof u === 'string' && ICE_URL.test(u));
    if (good.length === 0 || good.length !== all.length || good.length > MAX_URLS) continue;
    if (username !== undefined && !isShortString(username)) continue;
    if (credential !== undefined && !isShortString(credential)) continue;
    const server: RTCIceServer = { urls: typeof urls === 'string' ? good[0]! : good };
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.credential = credential;
    out.push(server);
  }
  return out;
}

export interface FetchRelayConfigOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** GET `${httpBase}/config`; never throws. */
export async function fetchRelayConfig(
  httpBase: string,
  options: FetchRelayConfigOptions = {},
): Promise<RelayConfig> {
  const fetchFn = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 8000);
  try {
    const res = await fetchFn(`${httpBase.replace(/\/+$/, '')}/config`, {
      signal: controller.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!res.ok) return { iceServers: [], reachable: false };
    // Refused (caught below) as soon as it passes the cap, whatever Content-Length said.
    const text = await readCappedText(res, SMALL_ANSWER_BYTES, () => new Error('too large'));
    return { iceServers: parseIceServers(JSON.parse(text)), reachable: true };
  } catch {
    return { iceServers: [], reachable: false };
  } finally {
    clearTimeout(timer);
  }
}
