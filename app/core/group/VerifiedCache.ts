// Checking 10,000 signatures costs most of a second on a phone, and the same records are
// shown again at every open. This keeps the digests of checks that passed in the device's
// storage, so a cold open only checks what arrived since. Losing it costs time, never trust:
// a digest commits to signer, text and signature, and bad answers are never stored.
import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import type { StorageAdapter } from '../storage/StorageAdapter.ts';
import { type Clock, systemClock } from '../sync/Clock.ts';
import type { RememberedChecks } from './Verifier.ts';

const KEY = ['verified'] as const;
/** At most this many digests are kept (23 bytes each as stored); the oldest go first. */
export const VERIFIED_CACHE_MAX = 200_000;
const DIGEST = /^[A-Za-z0-9_-]{22}$/;

export class VerifiedCache implements RememberedChecks {
  readonly #storage: StorageAdapter;
  readonly #digests: Set<string>;
  readonly #saveDelayMs: number;
  readonly #clock: Clock;
  #timer: unknown;
  #saving: Promise<void> = Promise.resolve();

  private constructor(
    storage: StorageAdapter,
    digests: Set<string>,
    saveDelayMs: number,
    clock: Clock,
  ) {
    this.#storage = storage;
    this.#clock = clock;
    this.#digests = digests;
    this.#saveDelayMs = saveDelayMs;
  }

  /** Reads the digests saved on this device; a damaged copy is treated as empty. */
  static async load(
    storage: StorageAdapter,
    saveDelayMs = 2_000,
    clock: Clock = systemClock,
  ): Promise<VerifiedCache> {
    const digests = new Set<string>();
    try {
      const raw = await storage.load(KEY);
      if (raw) for (const d of fromUtf8(raw).split('\n')) if (DIGEST.test(d)) digests.add(d);
    } catch {
      // Only a cache: start empty.
    }
    return new VerifiedCache(storage, digests, saveDelayMs, clock);
  }

  get size(): number {
    return this.#digests.size;
  }

  has(digest: string): boolean {
    return this.#digests.has(digest);
  }

  add(digest: string): void {
    if (this.#digests.has(digest)) return;
    this.#digests.add(digest);
    if (this.#digests.size > VERIFIED_CACHE_MAX) {
      const oldest = this.#digests.values().next().value;
      if (oldest !== undefined) this.#digests.delete(oldest);
    }
    this.#timer ??= this.#clock.setTimeout(() => void this.flush(), this.#saveDelayMs);
  }

  /** Writes what is new now (also called when the app closes or hides). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const data = utf8([...this.#digests].join('\n'));
    this.#saving = this.#saving.then(() => this.#storage.save(KEY, data)).catch(() => undefined); // a full disk must not break reading; the next flush tries again
    return this.#saving;
  }
}
