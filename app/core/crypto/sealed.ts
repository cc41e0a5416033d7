// Sealed blob format v1: [0x01][24-byte nonce][secretbox(plaintext)]. The same bytes are
// stored in IndexedDB, uploaded to the relay's mailbox and written to backups, so the
// version byte leads and every failure to open is a typed, explainable error.
import nacl from 'tweetnacl';
import { HearthError } from '../errors.ts';
import type { StoreKey } from './keys.ts';

export const SEALED_VERSION = 0x01;
const NONCE = nacl.secretbox.nonceLength;
const OVERHEAD = 1 + NONCE + nacl.secretbox.overheadLength;

export type SealedBlob = Uint8Array & { readonly __sealed: true };

export type SealedBlobErrorCode = 'truncated' | 'unknown-version' | 'auth-failed' | 'no-webcrypto';

const MESSAGES: Record<SealedBlobErrorCode, string> = {
  truncated:
    'Some encrypted data is cut off, so Hearth could not open it. Syncing with the group again can replace it; if this keeps happening, reload the app.',
  'unknown-version':
    'Some encrypted data was saved by a newer version of Hearth. Update the app, then try again.',
  'auth-failed':
    'Some encrypted data could not be unlocked: it was locked with a different group key or was changed on the way. If this keeps happening, ask a member for a fresh invite.',
  'no-webcrypto':
    "This page cannot use the browser's encryption (it needs https, or localhost), so what this device saved earlier cannot be opened here. Open Hearth at its https address.",
};

export class SealedBlobError extends HearthError<SealedBlobErrorCode> {
  override readonly name = 'SealedBlobError';
  /** `detail` is for developers (sizes, versions); the message is for people. */
  constructor(code: SealedBlobErrorCode, detail?: string) {
    super(code, MESSAGES[code], { detail });
  }
}

export function seal(key: StoreKey, plaintext: Uint8Array): SealedBlob {
  const nonce = nacl.randomBytes(NONCE);
  const box = nacl.secretbox(plaintext, nonce, key);
  const out = new Uint8Array(1 + NONCE + box.length);
  out[0] = SEALED_VERSION;
  out.set(nonce, 1);
  out.set(box, 1 + NONCE);
  return out as SealedBlob;
}

export function open(key: StoreKey, blob: Uint8Array): Uint8Array {
  if (blob.length < 1) throw new SealedBlobError('truncated', 'sealed blob is empty');
  if (blob[0] !== SEALED_VERSION) {
    throw new SealedBlobError(
      'unknown-version',
      `sealed blob has version ${blob[0]}, this app reads version ${SEALED_VERSION}`,
    );
  }
  if (blob.length < OVERHEAD) {
    throw new SealedBlobError(
      'truncated',
      `sealed blob is ${blob.length} bytes, shorter than any valid one`,
    );
  }
  const plain = nacl.secretbox.open(blob.subarray(1 + NONCE), blob.subarray(1, 1 + NONCE), key);
  if (!plain) {
    throw new SealedBlobError(
      'auth-failed',
      'sealed blob failed authentication: wrong key or tampered data',
    );
  }
  return plain;
}
