// What the app and the relay say about invite capsules (docs/PROTOCOL.md, "Invite capsules"):
// the signed request that puts a capsule on a relay, with its expiry, its number of uses and
// the keys allowed to withdraw it, and the signed withdrawal. The relay parses these with the
// same functions, so both sides read one format.
import { concatBytes, utf8 } from '../crypto/bytes.ts';
import type { SigningPublicKey, SigningSecretKey } from '../crypto/keys.ts';
import { SIGNATURE_BYTES, sign, verify } from '../crypto/sign.ts';
import { HearthError } from '../errors.ts';
import { CAPSULE_MAX_BYTES, INVITE_MAX_REVOKERS, INVITE_MAX_USES } from './limits.ts';

export const INVITE_WIRE_VERSION = 1;
/** Longest life of an invite: 7 days. Relays allow REPLAY_WINDOW_MS more for clock skew. */
export const INVITE_MAX_TTL_MS = 7 * 86_400_000;
export { INVITE_MAX_REVOKERS, INVITE_MAX_USES };

const CREATE_CONTEXT = 'hearth/invite-create/v1';
const REVOKE_CONTEXT = 'hearth/invite-revoke/v1';
const CREATE_HEADER = 12;
export const REVOKE_BYTES = 1 + 8 + 32 + SIGNATURE_BYTES;
const SMALLEST_SEALED = 41;

export type InviteWireErrorCode =
  | 'too-short'
  | 'unknown-version'
  | 'bad-field'
  | 'too-large'
  | 'bad-signature';

/** A malformed invite request; the message goes back to the client in the 400 answer. */
export class InviteWireError extends HearthError<InviteWireErrorCode> {
  override readonly name = 'InviteWireError';
  constructor(code: InviteWireErrorCode, message: string) {
    super(code, message);
  }
}

export interface CreateRequest {
  readonly expiresAt: number;
  /** 0: no limit. */
  readonly maxUses: number;
  /** ed25519 public keys allowed to withdraw the invite; the first signed this request. */
  readonly revokers: readonly Uint8Array[];
  readonly capsule: Uint8Array;
}

export interface RevokeRequest {
  readonly timestamp: number;
  readonly revoker: Uint8Array;
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

function readU64(body: Uint8Array, at: number, what: string): number {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength).getBigUint64(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InviteWireError('bad-field', `${what} is larger than this relay can count`);
  }
  return Number(v);
}

const contextOf = (context: string, room: string, signed: Uint8Array) =>
  concatBytes(utf8(context), utf8(room), signed);

/** The create body, signed by `signer` (whose public key must be the first revoker). */
export function encodeCreate(
  room: string,
  request: CreateRequest,
  signer: SigningSecretKey,
): Uint8Array {
  const { revokers } = request;
  if (revokers.length < 1 || revokers.length > INVITE_MAX_REVOKERS) {
    throw new InviteWireError('bad-field', 'between 1 and 4 revokers');
  }
  const head = new Uint8Array(CREATE_HEADER);
  head[0] = INVITE_WIRE_VERSION;
  head.set(u64(request.expiresAt), 1);
  new DataView(head.buffer).setUint16(9, request.maxUses);
  head[11] = revokers.length;
  const signed = concatBytes(head, ...revokers, request.capsule);
  return concatBytes(signed, sign(signer, contextOf(CREATE_CONTEXT, room, signed)));
}

/** Parses a create body strictly and checks its signature by the first revoker. */
export function parseCreate(room: string, body: Uint8Array): CreateRequest {
  if (body.length < CREATE_HEADER + 32 + SMALLEST_SEALED + SIGNATURE_BYTES) {
    throw new InviteWireError('too-short', 'the request is too short to hold an invite');
  }
  if (body[0] !== INVITE_WIRE_VERSION) {
    throw new InviteWireError('unknown-version', `unknown invite request version ${body[0]}`);
  }
  const expiresAt = readU64(body, 1, 'expiresAt');
  const maxUses = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint16(9);
  if (maxUses > INVITE_MAX_USES) {
    throw new InviteWireError('bad-field', `at most ${INVITE_MAX_USES} uses`);
  }
  const count = body[11]!;
  if (count < 1 || count > INVITE_MAX_REVOKERS) {
    throw new InviteWireError('bad-field', 'between 1 and 4 revoker keys');
  }
  const capsuleAt = CREATE_HEADER + 32 * count;
  const end = body.length - SIGNATURE_BYTES;
  if (end - capsuleAt < SMALLEST_SEALED) {
    throw new InviteWireError('too-short', 'the capsule is missing or too short');
  }
  if (end - capsuleAt > CAPSULE_MAX_BYTES) {
    throw new InviteWireError('too-large', `a capsule holds at most ${CAPSULE_MAX_BYTES} bytes`);
  }
  const capsule = body.slice(capsuleAt, end);
  if (capsule[0] !== 1) throw new InviteWireError('bad-field', 'the capsule is not a sealed blob');
  const revokers: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    revokers.push(body.slice(CREATE_HEADER + 32 * i, CREATE_HEADER + 32 * (i + 1)));
  }
  const signed = body.subarray(0, end);
  if (
    !verify(
      revokers[0] as SigningPublicKey,
      contextOf(CREATE_CONTEXT, room, signed),
      body.subarray(end),
    )
  ) {
    throw new InviteWireError('bad-signature', 'the signature does not verify');
  }
  return { expiresAt, maxUses, revokers, capsule };
}

/** A withdrawal, signed by one of the invite's revokers (`signer`). */
export function encodeRevoke(
  room: string,
  timestamp: number,
  signer: SigningSecretKey,
): Uint8Array {
  const signed = concatBytes(
    Uint8Array.of(INVITE_WIRE_VERSION),
    u64(timestamp),
    signer.subarray(32, 64),
  );
  return concatBytes(signed, sign(signer, contextOf(REVOKE_CONTEXT, room, signed)));
}

/** Parses a withdrawal strictly and checks its signature by the key it names. */
export function parseRevoke(room: string, body: Uint8Array): RevokeRequest {
  if (body.length !== REVOKE_BYTES) {
    throw new InviteWireError('too-short', `a withdrawal is exactly ${REVOKE_BYTES} bytes`);
  }
  if (body[0] !== INVITE_WIRE_VERSION) {
    throw new InviteWireError('unknown-version', `unknown invite request version ${body[0]}`);
  }
  const timestamp = readU64(body, 1, 'timestamp');
  const revoker = body.slice(9, 41);
  const signed = body.subarray(0, 41);
  if (
    !verify(revoker as SigningPublicKey, contextOf(REVOKE_CONTEXT, room, signed), body.subarray(41))
  ) {
    throw new InviteWireError('bad-signature', 'the signature does not verify');
  }
  return { timestamp, revoker };
}
