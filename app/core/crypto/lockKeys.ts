// The app lock's keys. One random data key wraps everything the device stores while the lock
// is on (WrappedStorage); the data key itself is kept only wrapped, under a key derived from
// the passphrase (PBKDF2-SHA256 through WebCrypto, 600,000 iterations or more) and, when the
// member adds one, under a passkey's PRF output. All through WebCrypto: AES-256-GCM, PBKDF2,
// HMAC-SHA-256 (the core compiles without the DOM lib, hence the narrow interface below).
import nacl from 'tweetnacl';
import { concatBytes, utf8 } from './bytes.ts';

/** OWASP's floor for PBKDF2-HMAC-SHA256 (2023); the passphrase path never goes below it. */
export const PBKDF2_MIN_ITERATIONS = 600_000;
const IV = 12;

interface LockSubtle {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: string | { name: string; hash?: string },
    extractable: false,
    usages: readonly string[],
  ): Promise<unknown>;
  deriveBits(
    algorithm: { name: 'PBKDF2'; hash: 'SHA-256'; salt: Uint8Array; iterations: number },
    key: unknown,
    length: number,
  ): Promise<ArrayBuffer>;
  encrypt(
    algorithm: { name: 'AES-GCM'; iv: Uint8Array; additionalData?: Uint8Array },
    key: unknown,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
  decrypt(
    algorithm: { name: 'AES-GCM'; iv: Uint8Array; additionalData?: Uint8Array },
    key: unknown,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
  sign(algorithm: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

/** WebCrypto's subtle API; the lock needs it (a plain-http LAN page has none). */
export function lockSubtle(): LockSubtle | undefined {
  return (globalThis as { crypto?: { subtle?: LockSubtle } }).crypto?.subtle;
}

function needSubtle(): LockSubtle {
  const s = lockSubtle();
  if (!s) throw new Error('WebCrypto is not available');
  return s;
}

/** A 32-byte key from a passphrase: PBKDF2-HMAC-SHA256 over its UTF-8 (NFC) bytes. */
export async function passphraseKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const s = needSubtle();
  const base = await s.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await s.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
  return new Uint8Array(bits);
}

/** A 32-byte key from a passkey's PRF output (already secret and uniform): domain-separated. */
export function prfKey(prfOutput: Uint8Array): Uint8Array {
  return nacl.hash(concatBytes(utf8('hearth/lock-prf/v1'), prfOutput)).subarray(0, 32);
}

async function aes(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<unknown> {
  return needSubtle().importKey('raw', key, 'AES-GCM', false, [usage]);
}

/** AES-256-GCM: [12-byte IV][ciphertext ‖ tag], bound to `aad`. */
export async function aesSeal(
  key: Uint8Array | Promise<unknown>,
  plain: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Promise<Uint8Array> {
  const k = key instanceof Uint8Array ? await aes(key, 'encrypt') : await key;
  const iv = nacl.randomBytes(IV);
  const box = await needSubtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad }, k, plain);
  return concatBytes(iv, new Uint8Array(box));
}

/** Opens aesSeal's output; rejects (WebCrypto's OperationError) on a wrong key or tampering. */
export async function aesOpen(
  key: Uint8Array | Promise<unknown>,
  sealed: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Promise<Uint8Array> {
  const k = key instanceof Uint8Array ? await aes(key, 'decrypt') : await key;
  const plain = await needSubtle().decrypt(
    { name: 'AES-GCM', iv: sealed.subarray(0, IV), additionalData: aad },
    k,
    sealed.subarray(IV),
  );
  return new Uint8Array(plain);
}

/** The two working keys a data key gives WrappedStorage: one seals values, one hides keys. */
export interface DataKeys {
  /** AES-GCM, non-extractable, for sealing and opening values. */
  readonly seal: Promise<unknown>;
  readonly open: Promise<unknown>;
  /** HMAC-SHA-256, non-extractable, for turning key segments into opaque names. */
  readonly mac: Promise<unknown>;
}

export function dataKeys(dataKey: Uint8Array): DataKeys {
  const s = needSubtle();
  const sub = (label: string) =>
    nacl.hash(concatBytes(utf8(`hearth/lock-${label}/v1`), dataKey)).subarray(0, 32);
  const valueKey = sub('values');
  return {
    seal: s.importKey('raw', valueKey, 'AES-GCM', false, ['encrypt']),
    open: s.importKey('raw', valueKey, 'AES-GCM', false, ['decrypt']),
    mac: s.importKey('raw', sub('names'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  };
}

export async function hmac(key: Promise<unknown>, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await needSubtle().sign('HMAC', await key, data));
}

export const randomKey = (): Uint8Array => nacl.randomBytes(32);
export const randomSalt = (): Uint8Array => nacl.randomBytes(16);
