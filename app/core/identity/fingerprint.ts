// Numbers people can read aloud to check a member's key. Anyone can pick any name, so names
// prove nothing: these codes come from the ed25519 signing key behind a member id instead.
//
// - shortFingerprint: 12 digits that tell apart members who share a name. About 40 bits, so
//   it is a label, not a security check: someone who wants to can make a key with a chosen one.
// - safetyNumber: 60 digits for a pair of members, the same on both of their devices. Each
//   half is 30 digits (about 100 bits) from one member's key; comparing it in person or on a
//   call shows that each device holds the other's real key.
// - verifyCode: what the "Compare keys" QR code carries: the showing device's own member id
//   and the id it holds for the person it is comparing with. One scan checks both directions.
//
// Every code is SHA-512 (nacl.hash) over a domain label followed by the 32-byte key, read in
// 5-byte big-endian chunks, each reduced to decimal digits. Changing any of this changes
// every number people have already compared, so the tests pin fixed vectors.
import nacl from 'tweetnacl';
import { concatBytes, utf8 } from '../crypto/bytes.ts';
import type { MemberId } from '../crypto/keys.ts';
import { signingKeyOfMember } from '../crypto/keys.ts';
import { HearthError, type HearthErrorOptions } from '../errors.ts';

export const FINGERPRINT_LABEL = 'hearth/fingerprint/v1';
export const SAFETY_NUMBER_LABEL = 'hearth/safety-number/v1';
export const VERIFY_CODE_PREFIX = 'hearth-verify';
export const VERIFY_CODE_VERSION = 1;

export type FingerprintErrorCode =
  | 'bad-member-id'
  | 'not-verify-code'
  | 'unknown-version'
  | 'bad-format';

export class FingerprintError extends HearthError<FingerprintErrorCode> {
  override readonly name = 'FingerprintError';
  /** `message` is for people (plain words, what to do); `options.detail` for developers. */
  constructor(code: FingerprintErrorCode, message: string, options: HearthErrorOptions = {}) {
    super(code, message, options);
  }
}

const DAMAGED_ID = 'A member id is damaged, so Hearth cannot show its key fingerprint.';
const DAMAGED_CODE =
  'This key code is damaged. Ask them to open Compare keys with you again, then scan it again.';

function keyBytes(id: string, message: string): Uint8Array {
  try {
    return signingKeyOfMember(id as MemberId);
  } catch (e) {
    throw new FingerprintError('bad-member-id', message, {
      detail: 'not the base64url of a 32-byte signing key',
      cause: e,
    });
  }
}

/** `groups` groups of `width` digits from H(label || key), one 5-byte chunk per group. */
function digitGroups(label: string, id: string, groups: number, width: number): string[] {
  const hash = nacl.hash(concatBytes(utf8(label), keyBytes(id, DAMAGED_ID)));
  const modulus = 10 ** width;
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    let n = 0;
    // 40 bits stay exact in a double; the modulo bias (< 1e-7) does not matter here.
    for (let i = 0; i < 5; i++) n = n * 256 + hash[g * 5 + i]!;
    out.push(String(n % modulus).padStart(width, '0'));
  }
  return out;
}

/** Three groups of four digits, e.g. "0412 9931 5270": tells apart members with one name. */
export function shortFingerprint(memberId: string): string {
  return digitGroups(FINGERPRINT_LABEL, memberId, 3, 4).join(' ');
}

/**
 * The pair's safety number as 12 groups of 5 digits: each member's 6-group half, the lower
 * half first, so both devices show the same groups in the same order whoever opens it.
 */
export function safetyNumberGroups(a: string, b: string): string[] {
  const halfA = digitGroups(SAFETY_NUMBER_LABEL, a, 6, 5);
  const halfB = digitGroups(SAFETY_NUMBER_LABEL, b, 6, 5);
  return halfA.join('') <= halfB.join('') ? [...halfA, ...halfB] : [...halfB, ...halfA];
}

/** The safety number as one string of 12 space-separated 5-digit groups. */
export function safetyNumber(a: string, b: string): string {
  return safetyNumberGroups(a, b).join(' ');
}

/** What a "Compare keys" QR code says: who shows it, and which key they hold for the other. */
export interface VerifyCode {
  readonly version: typeof VERIFY_CODE_VERSION;
  /** The member id of the device showing the code (its own key). */
  readonly self: MemberId;
  /** The member id that device holds for the person it is comparing keys with. */
  readonly peer: MemberId;
}

/** The QR text `hearth-verify:1:<self>:<peer>` for the device of `self`. */
export function verifyCode(self: string, peer: string): string {
  keyBytes(self, DAMAGED_ID);
  keyBytes(peer, DAMAGED_ID);
  return `${VERIFY_CODE_PREFIX}:${VERIFY_CODE_VERSION}:${self}:${peer}`;
}

/** Reads a scanned code; anything else is a FingerprintError saying what is wrong with it. */
export function parseVerifyCode(text: string): VerifyCode {
  const parts = text.trim().split(':');
  if (parts[0] !== VERIFY_CODE_PREFIX) {
    throw new FingerprintError(
      'not-verify-code',
      'This is not a Hearth key code. Ask them to open Compare keys with you and show its QR code.',
      { detail: `no ${VERIFY_CODE_PREFIX}: prefix` },
    );
  }
  const version = parts[1] ?? '';
  if (!/^[1-9][0-9]{0,8}$/.test(version)) {
    throw new FingerprintError('bad-format', DAMAGED_CODE, { detail: 'no version number' });
  }
  if (Number(version) !== VERIFY_CODE_VERSION) {
    throw new FingerprintError(
      'unknown-version',
      Number(version) > VERIFY_CODE_VERSION
        ? 'This key code comes from a newer version of Hearth. Update the app.'
        : 'This key code is not in a format Hearth knows.',
      { detail: `version ${version}` },
    );
  }
  if (parts.length !== 4) {
    throw new FingerprintError('bad-format', DAMAGED_CODE, {
      detail: `${parts.length} fields, expected 4`,
    });
  }
  const self = parts[2]!;
  const peer = parts[3]!;
  keyBytes(self, DAMAGED_CODE);
  keyBytes(peer, DAMAGED_CODE);
  if (self === peer) {
    throw new FingerprintError('bad-format', DAMAGED_CODE, { detail: 'both ids are the same' });
  }
  return { version: VERIFY_CODE_VERSION, self: self as MemberId, peer: peer as MemberId };
}

/**
 * Checks a code scanned from the other person's screen. `their-key`: the key their device
 * shows is not the one this device holds for them (or it is someone else's code). `my-key`:
 * their device holds another key for this member (or they are comparing with someone else).
 */
export type VerifyResult =
  | { readonly match: true }
  | { readonly match: false; readonly reasons: readonly ('their-key' | 'my-key')[] };

/** Parses `text` (throws FingerprintError) and compares it with this device's view. */
export function checkVerifyCode(text: string, view: { me: string; them: string }): VerifyResult {
  const code = parseVerifyCode(text);
  const reasons: ('their-key' | 'my-key')[] = [];
  if (code.self !== view.them) reasons.push('their-key');
  if (code.peer !== view.me) reasons.push('my-key');
  return reasons.length === 0 ? { match: true } : { match: false, reasons };
}
