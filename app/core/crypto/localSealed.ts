// The device's own storage (a group's document rows and snapshots) is sealed with AES-256-GCM
// through WebCrypto: format v2, [0x02][12-byte IV][ciphertext ‖ 16-byte tag]. The browser
// runs it natively, off the page's thread, at hundreds of MB/s; tweetnacl's secretbox in
// JavaScript took 100–250 ms of a cold open's main thread for a 5.5 MB snapshot. What
// travels (mailbox blobs, invites) stays v1 (secretbox, sealed.ts), the format every client
// reads. v1 rows already on a device still open; compaction rewrites them as v2. Where a page
// has no WebCrypto (plain http on a LAN address is not a secure context), v1 is written.
import nacl from 'tweetnacl';
import { concatBytes, utf8 } from './bytes.ts';
import type { StoreKey } from './keys.ts';
import { open as openV1, type SealedBlob, SealedBlobError, seal as sealV1 } from './sealed.ts';

export const LOCAL_SEALED_VERSION = 0x02;
const IV = 12;
const TAG = 16;

/** The part of WebCrypto used here (the core compiles without the DOM lib). */
interface AesSubtle {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: 'AES-GCM',
    extractable: false,
    usages: readonly ('encrypt' | 'decrypt')[],
  ): Promise<unknown>;
  encrypt(
    algorithm: { name: 'AES-GCM'; iv: Uint8Array },
    key: unknown,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
  decrypt(
    algorithm: { name: 'AES-GCM'; iv: Uint8Array },
    key: unknown,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
}

const subtle = (): AesSubtle | undefined =>
  (globalThis as { crypto?: { subtle?: AesSubtle } }).crypto?.subtle;

/** Seals and opens the device's own rows under one store key. */
export interface LocalSealer {
  seal(plaintext: Uint8Array): Promise<SealedBlob>;
  /** Opens v2 and v1 blobs; a bad one rejects with a SealedBlobError. */
  open(blob: Uint8Array): Promise<Uint8Array>;
}

export function localSealer(key: StoreKey): LocalSealer {
  let aesKey: Promise<unknown> | undefined;
  const aes = (s: AesSubtle): Promise<unknown> => {
    // Its own key: H("hearth/store-aes/v2" ‖ store key), never the secretbox key itself.
    aesKey ??= s.importKey(
      'raw',
      nacl.hash(concatBytes(utf8('hearth/store-aes/v2'), key)).subarray(0, 32),
      'AES-GCM',
      false,
      ['encrypt', 'decrypt'],
    );
    return aesKey;
  };
  return {
    async seal(plaintext) {
      const s = subtle();
      if (!s) return sealV1(key, plaintext);
      const iv = nacl.randomBytes(IV);
      const box = new Uint8Array(await s.encrypt({ name: 'AES-GCM', iv }, await aes(s), plaintext));
      const out = new Uint8Array(1 + IV + box.length);
      out[0] = LOCAL_SEALED_VERSION;
      out.set(iv, 1);
      out.set(box, 1 + IV);
      return out as SealedBlob;
    },
    async open(blob) {
      if (blob[0] !== LOCAL_SEALED_VERSION) return openV1(key, blob);
      if (blob.length < 1 + IV + TAG) {
        throw new SealedBlobError('truncated', `local sealed blob is ${blob.length} bytes`);
      }
      const s = subtle();
      if (!s) throw new SealedBlobError('no-webcrypto');
      let plain: ArrayBuffer;
      try {
        plain = await s.decrypt(
          { name: 'AES-GCM', iv: blob.subarray(1, 1 + IV) },
          await aes(s),
          blob.subarray(1 + IV),
        );
      } catch {
        throw new SealedBlobError(
          'auth-failed',
          'local sealed blob failed authentication: wrong key or tampered data',
        );
      }
      return new Uint8Array(plain);
    },
  };
}
