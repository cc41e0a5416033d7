// The relay's mailbox over HTTP (docs/PROTOCOL.md) with fetch. Every failure becomes a
// MailboxError with a plain message: the protocol's codes when the relay names one,
// 'network' when it cannot be reached in time, 'bad-response' when its answer is unreadable.
import type { MailboxKeyPair, RoomId } from '../core/crypto/keys.ts';
import {
  isMailboxErrorCode,
  type Mailbox,
  MailboxError,
  type MailboxErrorCode,
  type MailboxPage,
  type PushOptions,
} from '../core/sync/Mailbox.ts';
import { decodeMailboxRead, encodePush } from '../core/sync/mailboxEnvelope.ts';
import { readCapped, readCappedText, SMALL_ANSWER_BYTES } from './readCapped.ts';
import { relayHttpBase } from './relayUrl.ts';

export interface HttpMailboxOptions {
  /** A relay address from an invite (ws(s)://…/signal) or its http(s) base. */
  readonly relayUrl: string;
  /** Give up on a request after this long. Default 20 s. */
  readonly timeoutMs?: number;
  /** Refuse read answers larger than this. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

const STATUS_CODES: Record<number, MailboxErrorCode> = {
  400: 'bad-request',
  413: 'too-large',
  429: 'rate-limited',
  507: 'quota-bytes',
};

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Maps an HTTP error answer to a MailboxError. */
export function mailboxErrorFromResponse(
  status: number,
  body: string,
  retryAfter: string | null,
  now: number = Date.now(),
): MailboxError {
  let code: MailboxErrorCode | undefined;
  try {
    const j = JSON.parse(body) as { error?: unknown };
    if (isMailboxErrorCode(j.error) && j.error !== 'network' && j.error !== 'bad-response') {
      code = j.error;
    }
  } catch {
    // not JSON: fall back to the status
  }
  code ??= STATUS_CODES[status] ?? (status >= 500 ? 'network' : 'bad-response');
  const retryAfterMs = code === 'rate-limited' ? parseRetryAfter(retryAfter, now) : undefined;
  return new MailboxError(code, `HTTP ${status}`, { retryAfterMs });
}

const safeInt = (text: string | null): number | undefined => {
  if (text === null || !/^\d{1,16}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
};

export class HttpMailbox implements Mailbox {
  readonly httpBase: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(options: HttpMailboxOptions) {
    this.httpBase = relayHttpBase(options.relayUrl);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.fetchFn = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.now = options.now ?? (() => Date.now());
  }

  async pull(room: RoomId, after: number, limit = 200): Promise<MailboxPage> {
    const url = `${this.httpBase}/mailbox/${encodeURIComponent(room)}?after=${after}&limit=${limit}`;
    return this.request(url, { method: 'GET' }, async (res) => {
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > this.maxResponseBytes) throw new MailboxError('bad-response');
      const entries = decodeMailboxRead(
        await readCapped(
          res,
          this.maxResponseBytes,
          () => new MailboxError('bad-response', `answer over ${this.maxResponseBytes} bytes`),
        ),
      );
      if (entries.length > 0 && entries[0]!.seq <= after) {
        throw new MailboxError('bad-response', `entry ${entries[0]!.seq} is not after ${after}`);
      }
      // X-Hearth-Next is not trusted as a cursor (it could skip entries never received): the
      // next one is the last entry here. Its presence only says the relay sends X-Hearth-More
      // (without them, a proxy or CORS hiding headers, a full page means there may be more).
      const nextHeader = safeInt(res.headers.get('x-hearth-next'));
      const more =
        nextHeader === undefined
          ? entries.length >= limit
          : res.headers.get('x-hearth-more')?.trim() === '1';
      return { entries, next: entries.at(-1)?.seq ?? after, more };
    });
  }

  async push(
    room: RoomId,
    keys: MailboxKeyPair,
    blob: Uint8Array,
    options: PushOptions,
  ): Promise<{ seq: number }> {
    const body = encodePush(room, keys, blob, options, this.now());
    const url = `${this.httpBase}/mailbox/${encodeURIComponent(room)}`;
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: body as Uint8Array<ArrayBuffer>,
    };
    return this.request(url, init, async (res) => {
      let j: unknown;
      try {
        j = JSON.parse(await readCappedText(res, SMALL_ANSWER_BYTES, () => new Error('too large')));
      } catch (e) {
        throw new MailboxError('bad-response', undefined, { cause: e });
      }
      const seq = (j as { seq?: unknown } | null)?.seq;
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
        throw new MailboxError('bad-response');
      }
      return { seq };
    });
  }

  private async request<T>(
    url: string,
    init: RequestInit,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const res = await this.fetchFn(url, {
        ...init,
        signal: controller.signal,
        cache: 'no-store',
        credentials: 'omit',
      });
      if (!res.ok) {
        const text = await readCappedText(res, SMALL_ANSWER_BYTES, () => new Error('too large'))
          // An error answer too large (or cut short) is read by its status alone.
          .catch(() => '');
        throw mailboxErrorFromResponse(
          res.status,
          text,
          res.headers.get('retry-after'),
          this.now(),
        );
      }
      return await read(res);
    } catch (e) {
      if (e instanceof MailboxError) throw e;
      if (timedOut) {
        throw new MailboxError('network', 'request timed out', {
          cause: e,
          message:
            'The relay did not answer in time. Changes wait on this device and are sent when it is back.',
        });
      }
      throw new MailboxError('network', undefined, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }
}
