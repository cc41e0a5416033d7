// The optional app lock. Off, the app's storage is the device's own (each group's document is
// sealed under its store key, but the identity, the registry of groups with their names and
// keys, and the read markers are in the clear: docs/SECURITY.md). On, everything the app
// stores passes through WrappedStorage under a random data key, and the device keeps that key
// only wrapped: under the passphrase (PBKDF2-SHA256, >= 600,000 iterations) and, if the
// member adds it, under a passkey's PRF output (this device's screen lock). The one entry left
// in the clear is the lock record itself (LOCK_KEY): salts, iteration count, wrapped keys,
// the passkey's credential id, the idle timeout.
//
// The app talks to `storage`, which stays the same object across turning the lock on or off:
// while the rows are rewritten (one atomic batch) every other read and write waits.
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { HearthError } from '../errors.ts';
import { LOCK_KEY, LOCKED_ROOT } from '../hearth/storageLayout.ts';
import type {
  StorageAdapter,
  StorageChunk,
  StorageKey,
  StorageOp,
} from '../storage/StorageAdapter.ts';

/**
 * The lock's cryptography and its storage layer load only when the lock is used: every start
 * of an app without the lock reads one entry here and needs nothing more.
 */
const lockCode = () => import('./lockCode.ts');

export type AppLockErrorCode =
  | 'wrong-passphrase'
  | 'short-passphrase'
  | 'passkey-failed'
  | 'no-prf'
  | 'locked'
  | 'no-webcrypto'
  | 'damaged';

export const MIN_PASSPHRASE_LENGTH = 8;

const MESSAGES: Record<AppLockErrorCode, string> = {
  'wrong-passphrase': 'That passphrase is not the one that locks Hearth on this device.',
  'short-passphrase': `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters. A few words are easy to remember and hard to guess.`,
  'passkey-failed':
    'The screen lock did not unlock Hearth. Try again, or use your passphrase instead.',
  'no-prf':
    'This device’s screen lock cannot lock Hearth: its passkeys lack the feature it needs. Your passphrase still locks it.',
  locked: 'Hearth is locked. Unlock it first.',
  'no-webcrypto':
    'This browser cannot lock Hearth here (the page needs a secure, https address for it).',
  damaged:
    'The app lock’s record on this device is damaged, so Hearth cannot unlock its data here. If you have a backup or another linked device, restore from it.',
};

export class AppLockError extends HearthError<AppLockErrorCode> {
  override readonly name = 'AppLockError';
  constructor(code: AppLockErrorCode, detail?: string, options: { cause?: unknown } = {}) {
    super(code, MESSAGES[code], { detail, cause: options.cause });
  }
}

/** Idle minutes before the app locks itself again; 0 means only on restart. */
export const DEFAULT_IDLE_MINUTES = 5;

/** The passkey that can also unlock: its credential id and the PRF input it is asked for. */
export interface PasskeyRef {
  readonly credentialId: Uint8Array;
  readonly prfSalt: Uint8Array;
}

interface LockRecordJSON {
  v: 1;
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  salt: string;
  /** The data key, sealed under the passphrase's key. */
  byPassphrase: string;
  passkey?: { credentialId: string; prfSalt: string; wrapped: string };
  idleMinutes: number;
}

function parseRecord(bytes: Uint8Array): LockRecordJSON {
  try {
    const r = JSON.parse(fromUtf8(bytes)) as LockRecordJSON;
    if (
      r.v !== 1 ||
      r.kdf !== 'PBKDF2-SHA256' ||
      !Number.isSafeInteger(r.iterations) ||
      r.iterations < 1 ||
      typeof r.salt !== 'string' ||
      typeof r.byPassphrase !== 'string' ||
      !Number.isFinite(r.idleMinutes)
    ) {
      throw new Error('bad fields');
    }
    return r;
  } catch (e) {
    throw new AppLockError('damaged', 'the lock record does not parse', { cause: e });
  }
}

const encodeRecord = (r: LockRecordJSON): Uint8Array => utf8(JSON.stringify(r));
const WRAP_AAD = utf8('hearth/lock-data-key/v1');

/**
 * The storage the app uses, whichever way the lock stands: the device's own, or wrapped.
 * A change of mode waits for the reads and writes under way, and holds back new ones until
 * it is done.
 */
class LockableStorage implements StorageAdapter {
  #current: StorageAdapter;
  #busy = 0;
  #idle: (() => void) | null = null;
  #gate: Promise<void> | null = null;

  constructor(current: StorageAdapter) {
    this.#current = current;
  }

  async #run<T>(f: (s: StorageAdapter) => Promise<T>): Promise<T> {
    while (this.#gate) await this.#gate;
    this.#busy++;
    try {
      return await f(this.#current);
    } finally {
      this.#busy--;
      if (this.#busy === 0) this.#idle?.();
    }
  }

  /** Runs `f` alone: after every op under way, before any op asked for meanwhile. */
  async exclusive(f: () => Promise<StorageAdapter>): Promise<void> {
    while (this.#gate) await this.#gate;
    let release = () => {};
    this.#gate = new Promise<void>((r) => {
      release = r;
    });
    try {
      if (this.#busy > 0) {
        await new Promise<void>((r) => {
          this.#idle = r;
        });
        this.#idle = null;
      }
      this.#current = await f();
    } finally {
      this.#gate = null;
      release();
    }
  }

  load(key: StorageKey) {
    return this.#run((s) => s.load(key));
  }
  save(key: StorageKey, data: Uint8Array) {
    return this.#run((s) => s.save(key, data));
  }
  remove(key: StorageKey) {
    return this.#run((s) => s.remove(key));
  }
  loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    return this.#run((s) => s.loadRange(prefix));
  }
  /** Through to the store under it; a sealed (locked) store cannot list keys alone. */
  loadKeys(prefix: StorageKey): Promise<StorageKey[] | undefined> {
    return this.#run(async (s) => s.loadKeys?.(prefix));
  }
  removeRange(prefix: StorageKey) {
    return this.#run((s) => s.removeRange(prefix));
  }
  batch(ops: readonly StorageOp[]) {
    return this.#run((s) => s.batch(ops));
  }
}

export type AppLockState = 'off' | 'locked' | 'unlocked';

export interface EnableOptions {
  readonly passphrase: string;
  readonly idleMinutes?: number;
  /** PBKDF2 rounds; never below PBKDF2_MIN_ITERATIONS. */
  readonly iterations?: number;
}

export class AppLock {
  readonly #device: StorageAdapter;
  readonly #storage: LockableStorage;
  #record: LockRecordJSON | null;
  #dataKey: Uint8Array | null = null;

  private constructor(device: StorageAdapter, record: LockRecordJSON | null) {
    this.#device = device;
    this.#record = record;
    this.#storage = new LockableStorage(device);
  }

  /** Reads the lock record (if any) from the device's storage. */
  static async open(device: StorageAdapter): Promise<AppLock> {
    const raw = await device.load(LOCK_KEY);
    return new AppLock(device, raw ? parseRecord(raw) : null);
  }

  /** Whether this browser can lock at all (WebCrypto: a secure context). */
  static supported(): boolean {
    return (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle !== undefined;
  }

  get state(): AppLockState {
    if (!this.#record) return 'off';
    return this.#dataKey ? 'unlocked' : 'locked';
  }

  /** What the app reads and writes through. While locked, there is nothing to read. */
  get storage(): StorageAdapter {
    if (this.state === 'locked') throw new AppLockError('locked');
    return this.#storage;
  }

  get idleMinutes(): number {
    return this.#record?.idleMinutes ?? DEFAULT_IDLE_MINUTES;
  }

  /** The passkey that can also unlock, if the member added one. */
  get passkey(): PasskeyRef | undefined {
    const p = this.#record?.passkey;
    return p
      ? { credentialId: fromBase64Url(p.credentialId), prfSalt: fromBase64Url(p.prfSalt) }
      : undefined;
  }

  async #openDataKey(kek: Uint8Array, wrapped: string): Promise<Uint8Array | null> {
    const { aesOpen } = await lockCode();
    try {
      return await aesOpen(kek, fromBase64Url(wrapped), WRAP_AAD);
    } catch {
      return null;
    }
  }

  #useDataKey(dataKey: Uint8Array): void {
    this.#dataKey = dataKey;
    // Nothing runs on the storage while locked (the app is not loaded yet): switch at once.
    void this.#storage.exclusive(
      async () => new (await lockCode()).WrappedStorage(this.#device, dataKey),
    );
  }

  async unlockWithPassphrase(passphrase: string): Promise<void> {
    const r = this.#record;
    if (!r) return;
    const { passphraseKey } = await lockCode();
    const kek = await passphraseKey(passphrase, fromBase64Url(r.salt), r.iterations);
    const dataKey = await this.#openDataKey(kek, r.byPassphrase);
    if (!dataKey) throw new AppLockError('wrong-passphrase');
    this.#useDataKey(dataKey);
  }

  /** Unlocks with the PRF output the passkey gave for `passkey.prfSalt`. */
  async unlockWithPasskey(prfOutput: Uint8Array): Promise<void> {
    const p = this.#record?.passkey;
    if (!p) throw new AppLockError('passkey-failed', 'no passkey is registered');
    const dataKey = await this.#openDataKey((await lockCode()).prfKey(prfOutput), p.wrapped);
    if (!dataKey) throw new AppLockError('passkey-failed', 'the PRF output opens nothing');
    this.#useDataKey(dataKey);
  }

  /** Turns the lock on: every entry is rewritten wrapped, in one atomic batch. */
  async enable(options: EnableOptions): Promise<void> {
    if (!AppLock.supported()) throw new AppLockError('no-webcrypto');
    if (this.#record) throw new AppLockError('damaged', 'the lock is already on');
    checkPassphrase(options.passphrase);
    const { PBKDF2_MIN_ITERATIONS, WrappedStorage, aesSeal, passphraseKey, randomKey, randomSalt } =
      await lockCode();
    const iterations = Math.max(options.iterations ?? 0, PBKDF2_MIN_ITERATIONS);
    const salt = randomSalt();
    const dataKey = randomKey();
    const kek = await passphraseKey(options.passphrase, salt, iterations);
    const record: LockRecordJSON = {
      v: 1,
      kdf: 'PBKDF2-SHA256',
      iterations,
      salt: toBase64Url(salt),
      byPassphrase: toBase64Url(await aesSeal(kek, dataKey, WRAP_AAD)),
      idleMinutes: options.idleMinutes ?? DEFAULT_IDLE_MINUTES,
    };
    await this.#storage.exclusive(async () => {
      const wrapped = new WrappedStorage(this.#device, dataKey);
      const plain = (await this.#device.loadRange([])).filter((c) => !isLockOwn(c.key));
      const ops: StorageOp[] = [
        ...plain.map((c): StorageOp => ({ op: 'remove', key: c.key })),
        ...(await wrapped.wrapOps(
          plain.map((c): StorageOp => ({ op: 'save', key: c.key, data: c.data })),
        )),
        { op: 'save', key: LOCK_KEY, data: encodeRecord(record) },
      ];
      await this.#device.batch(ops);
      this.#record = record;
      this.#dataKey = dataKey;
      return wrapped;
    });
  }

  /** Turns the lock off (the passphrase is asked again): every entry is rewritten plain. */
  async disable(passphrase: string): Promise<void> {
    const r = this.#record;
    if (!r) return;
    if (this.state === 'locked') throw new AppLockError('locked');
    const { WrappedStorage, passphraseKey } = await lockCode();
    const kek = await passphraseKey(passphrase, fromBase64Url(r.salt), r.iterations);
    const dataKey = await this.#openDataKey(kek, r.byPassphrase);
    if (!dataKey) throw new AppLockError('wrong-passphrase');
    await this.#storage.exclusive(async () => {
      const wrapped = new WrappedStorage(this.#device, dataKey);
      const entries = await wrapped.loadRange([]);
      await this.#device.batch([
        { op: 'removeRange', prefix: [LOCKED_ROOT] },
        { op: 'remove', key: LOCK_KEY },
        ...entries.map((c): StorageOp => ({ op: 'save', key: c.key, data: c.data })),
      ]);
      this.#record = null;
      this.#dataKey = null;
      return this.#device;
    });
  }

  async #saveRecord(record: LockRecordJSON): Promise<void> {
    await this.#storage.exclusive(async () => {
      await this.#device.save(LOCK_KEY, encodeRecord(record));
      this.#record = record;
      const { WrappedStorage } = await lockCode();
      return this.#dataKey ? new WrappedStorage(this.#device, this.#dataKey) : this.#device;
    });
  }

  #unlockedRecord(): { record: LockRecordJSON; dataKey: Uint8Array } {
    if (!this.#record || !this.#dataKey) throw new AppLockError('locked');
    return { record: this.#record, dataKey: this.#dataKey };
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    const { record } = this.#unlockedRecord();
    await this.#saveRecord({ ...record, idleMinutes: Math.max(0, Math.floor(minutes)) });
  }

  /** Lets a passkey unlock too: the data key, wrapped under its PRF output for `prfSalt`. */
  async addPasskey(ref: PasskeyRef, prfOutput: Uint8Array): Promise<void> {
    const { record, dataKey } = this.#unlockedRecord();
    const { aesSeal, prfKey } = await lockCode();
    const wrapped = await aesSeal(prfKey(prfOutput), dataKey, WRAP_AAD);
    await this.#saveRecord({
      ...record,
      passkey: {
        credentialId: toBase64Url(ref.credentialId),
        prfSalt: toBase64Url(ref.prfSalt),
        wrapped: toBase64Url(wrapped),
      },
    });
  }

  async removePasskey(): Promise<void> {
    const { record } = this.#unlockedRecord();
    const { passkey: _gone, ...rest } = record;
    await this.#saveRecord(rest);
  }
}

function checkPassphrase(passphrase: string): void {
  if ([...passphrase.trim()].length < MIN_PASSPHRASE_LENGTH) {
    throw new AppLockError('short-passphrase');
  }
}

/** The lock's own entries, which are never wrapped again nor unwrapped. */
function isLockOwn(key: StorageKey): boolean {
  return (key.length === 1 && key[0] === LOCK_KEY[0]) || key[0] === LOCKED_ROOT;
}
