// Hidden until close. The proposer's device derives a box key pair for the item from its own
// box secret key and the item's nonce (nothing to store, and any of the proposer's devices
// can derive it again); the public half goes into the signed proposal, the secret half into
// the signed close record. Each ballot is sealed to the public half under a fresh ephemeral
// key, and names its voter and item inside the seal, so a copy of someone else's sealed
// ballot opens as spoiled, not as a second vote. What this protects and what it does not:
// docs/SECURITY.md, "Hidden ballots".
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../../crypto/bytes.ts';
import { canonicalJson } from '../../group/canonical.ts';
import type { Me } from '../../group/Group.ts';
import { asObject } from '../../group/records.ts';

const LABEL = 'hearth/sealed-ballot/v1';
const PUB = nacl.box.publicKeyLength;
const NONCE = nacl.box.nonceLength;

/** The item's ballot key pair, as only its proposer can derive it. */
export function ballotKeyPair(me: Pick<Me, 'box'>, itemNonce: string): nacl.BoxKeyPair {
  const seed = nacl.hash(concatBytes(utf8(LABEL), me.box.secretKey, utf8(itemNonce)));
  return nacl.box.keyPair.fromSecretKey(seed.subarray(0, 32));
}

/** What a sealed ballot holds once opened. */
export interface PlainBallot {
  readonly voter: string;
  readonly targetId: string;
  readonly stance?: string;
  readonly reason?: string;
  readonly choice?: readonly number[];
}

export function sealBallot(sealTo: string, plain: PlainBallot): string {
  const eph = nacl.box.keyPair();
  const nonce = nacl.randomBytes(NONCE);
  const box = nacl.box(utf8(canonicalJson(plain)), nonce, fromBase64Url(sealTo), eph.secretKey);
  return toBase64Url(concatBytes(eph.publicKey, nonce, box));
}

/** The plain ballot, or null when the seal does not open with `secretKey` or holds junk. */
export function openBallot(secretKey: string, sealed: string): PlainBallot | null {
  try {
    const bytes = fromBase64Url(sealed);
    if (bytes.length <= PUB + NONCE) return null;
    const plain = nacl.box.open(
      bytes.subarray(PUB + NONCE),
      bytes.subarray(PUB, PUB + NONCE),
      bytes.subarray(0, PUB),
      fromBase64Url(secretKey),
    );
    if (!plain) return null;
    const o = asObject(JSON.parse(fromUtf8(plain)));
    if (!o || typeof o.voter !== 'string' || typeof o.targetId !== 'string') return null;
    return o as unknown as PlainBallot;
  } catch {
    return null;
  }
}

/** Whether `secretKey` is the secret half of `publicKey` (a close record's key must open the item). */
export function keyMatches(secretKey: string, publicKey: string): boolean {
  try {
    const pair = nacl.box.keyPair.fromSecretKey(fromBase64Url(secretKey));
    return toBase64Url(pair.publicKey) === publicKey;
  } catch {
    return false;
  }
}
