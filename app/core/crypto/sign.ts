// Detached ed25519 signatures. Signing uses tweetnacl; verification of many items at
// once is the group model's job (see group/verify.ts), this is the simple synchronous path.
import nacl from 'tweetnacl';
import type { SigningPublicKey, SigningSecretKey } from './keys.ts';

export const SIGNATURE_BYTES = 64;

export function sign(secretKey: SigningSecretKey, message: Uint8Array): Uint8Array {
  return nacl.sign.detached(message, secretKey);
}

export function verify(
  publicKey: SigningPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== 32) return false;
  return nacl.sign.detached.verify(message, signature, publicKey);
}
