// One device or member boxing bytes to another's x25519 key (nacl.box, which authenticates
// both ends), as one base64url text: nonce (24 bytes) ‖ box. Epoch keys sealed to members
// and devices (features/membership) and the member's device channel (hearth/deviceSync.ts)
// use it.
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, toBase64Url } from './bytes.ts';

/** base64url(nonce ‖ nacl.box(plain, nonce, theirPublic, mySecret)) with a random nonce. */
export function boxTo(plain: Uint8Array, theirPublic: Uint8Array, mySecret: Uint8Array): string {
  const nonce = nacl.randomBytes(nacl.box.nonceLength);
  return toBase64Url(concatBytes(nonce, nacl.box(plain, nonce, theirPublic, mySecret)));
}

/** Opens what `boxTo` made; null when it does not open (or is not base64url at all). */
export function openBoxed(
  text: string,
  theirPublic: Uint8Array,
  mySecret: Uint8Array,
): Uint8Array | null {
  try {
    const bytes = fromBase64Url(text);
    const n = nacl.box.nonceLength;
    return nacl.box.open(bytes.subarray(n), bytes.subarray(0, n), theirPublic, mySecret);
  } catch {
    return null;
  }
}
