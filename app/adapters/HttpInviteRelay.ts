// The relay's invite capsule endpoints (docs/PROTOCOL.md, "Invite capsules") over fetch. Every
// failure becomes an InviteError with a plain message: 'gone' when there is no capsule (expired,
// withdrawn, used up or never made: the relay does not say which), 'not-allowed' for a
// withdrawal by a key that may not, 'unreachable' when the relay cannot be reached in time or
// answers with something unreadable, 'refused' for anything else it turned down.
import { CAPSULE_MAX_BYTES } from '../core/invite/capsule.ts';
import type { CapsuleStatus, InviteRelay } from '../core/invite/InviteRelay.ts';
import { InviteError } from '../core/invite/invite.ts';
import { readCapped, readCappedText, SMALL_ANSWER_BYTES } from './readCapped.ts';
import { relayHttpBase } from './relayUrl.ts';

export interface HttpInviteRelayOptions {
  /** A relay address (ws(s)://…/signal) or its http(s) base. */
  readonly relayUrl: string;
  /** Give up on a request after this long. Default 15 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export class HttpInviteRelay implements InviteRelay {
  readonly httpBase: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: HttpInviteRelayOptions) {
    this.httpBase = relayHttpBase(options.relayUrl);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchFn = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  private url(room: string, verb?: string): string {
    return `${this.httpBase}/invite/${encodeURIComponent(room)}${verb ? `/${verb}` : ''}`;
  }

  async put(room: string, body: Uint8Array): Promise<void> {
    await this.request(this.url(room), post(body), async () => undefined);
  }

  async open(room: string): Promise<Uint8Array> {
    return this.request(this.url(room, 'open'), { method: 'POST' }, (res) =>
      readCapped(
        res,
        CAPSULE_MAX_BYTES,
        () => new InviteError('tampered', `capsule over ${CAPSULE_MAX_BYTES} bytes`),
      ),
    );
  }

  async status(room: string): Promise<CapsuleStatus | null> {
    try {
      return await this.request(this.url(room), { method: 'GET' }, async (res) => {
        const j = JSON.parse(
          await readCappedText(
            res,
            SMALL_ANSWER_BYTES,
            () => new InviteError('unreachable', 'status answer too large'),
          ),
        ) as Partial<CapsuleStatus> | null;
        if (!j || !isCount(j.expiresAt) || !isCount(j.maxUses) || !isCount(j.uses)) {
          throw new InviteError('unreachable', 'unreadable status');
        }
        return { expiresAt: j.expiresAt, maxUses: j.maxUses, uses: j.uses };
      });
    } catch (e) {
      if (e instanceof InviteError && e.code === 'gone') return null;
      throw e;
    }
  }

  async revoke(room: string, body: Uint8Array): Promise<void> {
    await this.request(this.url(room, 'revoke'), post(body), async () => undefined);
  }

  private async request<T>(
    url: string,
    init: RequestInit,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          ...init,
          signal: controller.signal,
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (e) {
        throw new InviteError('unreachable', 'fetch failed', e);
      }
      if (!res.ok) {
        let code: unknown;
        try {
          const text = await readCappedText(res, SMALL_ANSWER_BYTES, () => new Error('too large'));
          code = (JSON.parse(text) as { error?: unknown } | null)?.error;
        } catch {
          code = undefined;
        }
        if (res.status === 404 && code === 'gone') throw new InviteError('gone', 'relay: gone');
        if (code === 'not-allowed') throw new InviteError('not-allowed', 'relay: not-allowed');
        if (res.status >= 500 && res.status !== 507) {
          throw new InviteError('unreachable', `HTTP ${res.status}`);
        }
        throw new InviteError('refused', `HTTP ${res.status} ${String(code)}`);
      }
      try {
        return await read(res);
      } catch (e) {
        if (e instanceof InviteError) throw e;
        throw new InviteError('unreachable', 'unreadable answer', e);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

function post(body: Uint8Array): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: body as Uint8Array<ArrayBuffer>,
  };
}
