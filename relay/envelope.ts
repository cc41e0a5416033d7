// The mailbox write envelope of docs/PROTOCOL.md: parsed strictly, signature checked with
// the key it carries. The relay learns only sizes, times and a public key from it.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { HearthError } from '../app/core/errors.ts';

export const ENVELOPE_VERSION = 1;
export const KIND_UPDATE = 1;
export const KIND_SNAPSHOT = 2;
export const HEADER_BYTES = 66;
export const SIGNATURE_BYTES = 64;
export const WRITE_ID_BYTES = 16;
export const SIGNING_CONTEXT = 'hearth/mailbox-write/v1';

export type EntryKind = typeof KIND_UPDATE | typeof KIND_SNAPSHOT;

export interface WriteEnvelope {
  kind: EntryKind;
  supersedes: number;
  timestamp: number;
  writeId: Uint8Array;
  publicKey: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  /** bytes[0 .. 66+n): the part the signature covers after the context and room. */
  signed: Uint8Array;
}

export type EnvelopeErrorCode =
  | 'too-short'
  | 'unknown-version'
  | 'unknown-kind'
  | 'bad-supersedes'
  | 'number-too-large';

/** A malformed mailbox write; the message goes back to the client in the 400 answer. */
export class EnvelopeError extends HearthError<EnvelopeErrorCode> {
  override readonly name = 'EnvelopeError';
  constructor(code: EnvelopeErrorCode, message: string) {
    super(code, message);
  }
}

/** 22 base64url characters encoding exactly 16 bytes (the last one carries 2 bits). */
const ROOM_ID = /^[A-Za-z0-9_-]{21}[AQgw]$/;

export const isRoomId = (room: string): boolean => ROOM_ID.test(room);

function uint64(view: DataView, offset: number, field: string): number {
  const value = view.getBigUint64(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EnvelopeError('number-too-large', `${field} is larger than this relay can count`);
  }
  return Number(value);
}

export function parseWriteEnvelope(body: Uint8Array): WriteEnvelope {
  if (body.length < HEADER_BYTES + 1 + SIGNATURE_BYTES) {
    throw new EnvelopeError(
      'too-short',
      'the write is too short to hold a header, a payload and a signature',
    );
  }
  if (body[0] !== ENVELOPE_VERSION) {
    throw new EnvelopeError(
      'unknown-version',
      `unknown envelope version ${body[0]}; this relay speaks version 1`,
    );
  }
  const kind = body[1];
  if (kind !== KIND_UPDATE && kind !== KIND_SNAPSHOT) {
    throw new EnvelopeError(
      'unknown-kind',
      `unknown entry kind ${kind}; expected 1 (update) or 2 (snapshot)`,
    );
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const supersedes = uint64(view, 2, 'supersedes');
  if (kind === KIND_UPDATE && supersedes !== 0) {
    throw new EnvelopeError(
      'bad-supersedes',
      'an update must have supersedes = 0; only snapshots supersede',
    );
  }
  const end = body.length - SIGNATURE_BYTES;
  return {
    kind,
    supersedes,
    timestamp: uint64(view, 10, 'timestamp'),
    writeId: body.subarray(18, 34),
    publicKey: body.subarray(34, 66),
    payload: body.subarray(HEADER_BYTES, end),
    signature: body.subarray(end),
    signed: body.subarray(0, end),
  };
}

const contextBytes = new TextEncoder().encode(SIGNING_CONTEXT);

/** The exact bytes the mailbox key signs: context || room || envelope without signature. */
export function signingMessage(room: string, signed: Uint8Array): Uint8Array {
  const roomBytes = new TextEncoder().encode(room);
  const out = new Uint8Array(contextBytes.length + roomBytes.length + signed.length);
  out.set(contextBytes, 0);
  out.set(roomBytes, contextBytes.length);
  out.set(signed, contextBytes.length + roomBytes.length);
  return out;
}

/** DER prefix of an Ed25519 public key (SubjectPublicKeyInfo) before its 32 raw bytes. */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Checks the envelope's Ed25519 signature with Node's own crypto (OpenSSL): some 30 times
 * faster than a JavaScript implementation, so signature checks are not what limits mailbox
 * writes, and a flood of bad signatures costs the relay little. OpenSSL refuses
 * non-canonical signatures, which honest signers never make.
 */
export function verifyEnvelope(room: string, envelope: WriteEnvelope): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519, envelope.publicKey]),
      format: 'der',
      type: 'spki',
    });
    return cryptoVerify(null, signingMessage(room, envelope.signed), key, envelope.signature);
  } catch {
    return false;
  }
}
