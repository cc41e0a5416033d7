// Byte formats of the mailbox (docs/PROTOCOL.md): the signed write envelope and the read
// answer. Pure functions, shared by the HTTP client, the in-memory mailbox and any relay
// code that wants them, so both ends agree byte for byte.
import nacl from 'tweetnacl';
import { concatBytes, utf8 } from '../crypto/bytes.ts';
import type { MailboxKeyPair, MailboxPublicKey } from '../crypto/keys.ts';
import { type MailboxEntry, MailboxError, type MailboxKind, type PushOptions } from './Mailbox.ts';

export const ENVELOPE_VERSION = 1;
export const WRITE_ID_BYTES = 16;
export const HEADER_BYTES = 66;
export const SIGNATURE_BYTES = 64;
const SIGN_LABEL = 'hearth/mailbox-write/v1';
const KIND_CODES: Record<MailboxKind, number> = { update: 1, snapshot: 2 };
const ROOM_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface MailboxWrite {
  readonly kind: MailboxKind;
  readonly supersedes: number;
  /** Client clock, ms since the epoch. */
  readonly timestamp: number;
  readonly writeId: Uint8Array;
  readonly publicKey: MailboxPublicKey;
  /** One sealed blob. */
  readonly payload: Uint8Array;
}

export const isRoomId = (room: string): boolean => ROOM_PATTERN.test(room);

const kindOf = (code: number | undefined): MailboxKind | undefined =>
  code === 1 ? 'update' : code === 2 ? 'snapshot' : undefined;

function writeUint64(view: DataView, offset: number, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MailboxError('bad-request', `a mailbox number must be a safe integer >= 0, not ${n}`);
  }
  view.setUint32(offset, Math.floor(n / 2 ** 32));
  view.setUint32(offset + 4, n >>> 0);
}

function readUint64(view: DataView, offset: number): number | undefined {
  const n = view.getUint32(offset) * 2 ** 32 + view.getUint32(offset + 4);
  return Number.isSafeInteger(n) ? n : undefined;
}

const signedMessage = (room: string, signedPart: Uint8Array) =>
  concatBytes(utf8(SIGN_LABEL), utf8(room), signedPart);

/** Builds and signs the body of `POST /mailbox/<room>`. */
export function encodeMailboxWrite(
  room: string,
  keys: MailboxKeyPair,
  write: Omit<MailboxWrite, 'publicKey'>,
): Uint8Array {
  if (!isRoomId(room))
    throw new MailboxError('bad-request', 'a room id is 22 base64url characters');
  if (write.writeId.length !== WRITE_ID_BYTES) {
    throw new MailboxError('bad-request', `a write id is ${WRITE_ID_BYTES} bytes`);
  }
  const out = new Uint8Array(HEADER_BYTES + write.payload.length + SIGNATURE_BYTES);
  const view = new DataView(out.buffer);
  out[0] = ENVELOPE_VERSION;
  out[1] = KIND_CODES[write.kind];
  writeUint64(view, 2, write.kind === 'snapshot' ? write.supersedes : 0);
  writeUint64(view, 10, write.timestamp);
  out.set(write.writeId, 18);
  out.set(keys.publicKey, 34);
  out.set(write.payload, HEADER_BYTES);
  const signedPart = out.subarray(0, HEADER_BYTES + write.payload.length);
  const signature = nacl.sign.detached(signedMessage(room, signedPart), keys.secretKey);
  out.set(signature, HEADER_BYTES + write.payload.length);
  return out;
}

/** Parses a write body and checks its signature; throws MailboxError bad-request/bad-signature. */
export function decodeMailboxWrite(room: string, body: Uint8Array): MailboxWrite {
  if (!isRoomId(room))
    throw new MailboxError('bad-request', 'a room id is 22 base64url characters');
  if (body.length < HEADER_BYTES + SIGNATURE_BYTES) {
    throw new MailboxError('bad-request', 'the mailbox write is shorter than its header');
  }
  if (body[0] !== ENVELOPE_VERSION) {
    throw new MailboxError('bad-request', `unknown mailbox write version ${body[0]}`);
  }
  const kind = kindOf(body[1]);
  if (!kind) throw new MailboxError('bad-request', `unknown mailbox entry kind ${body[1]}`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const supersedes = readUint64(view, 2);
  const timestamp = readUint64(view, 10);
  if (supersedes === undefined || timestamp === undefined) {
    throw new MailboxError('bad-request', 'a number in the mailbox write is out of range');
  }
  if (kind === 'update' && supersedes !== 0) {
    throw new MailboxError('bad-request', 'an update cannot supersede entries');
  }
  const end = body.length - SIGNATURE_BYTES;
  const publicKey = body.slice(34, HEADER_BYTES) as MailboxPublicKey;
  const signature = body.subarray(end);
  if (
    !nacl.sign.detached.verify(signedMessage(room, body.subarray(0, end)), signature, publicKey)
  ) {
    throw new MailboxError('bad-signature');
  }
  return {
    kind,
    supersedes,
    timestamp,
    writeId: body.slice(18, 34),
    publicKey,
    payload: body.slice(HEADER_BYTES, end),
  };
}

/** Builds the body of a `GET /mailbox/<room>` answer. */
export function encodeMailboxRead(entries: readonly MailboxEntry[]): Uint8Array {
  let size = 1;
  for (const e of entries) size += 13 + e.blob.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = ENVELOPE_VERSION;
  let o = 1;
  for (const e of entries) {
    writeUint64(view, o, e.seq);
    out[o + 8] = KIND_CODES[e.kind];
    view.setUint32(o + 9, e.blob.length);
    out.set(e.blob, o + 13);
    o += 13 + e.blob.length;
  }
  return out;
}

/** Parses a read answer; throws MailboxError bad-response on anything malformed. */
export function decodeMailboxRead(body: Uint8Array): MailboxEntry[] {
  const bad = (why: string) =>
    new MailboxError('bad-response', `The relay's answer was malformed: ${why}.`);
  if (body.length < 1 || body[0] !== ENVELOPE_VERSION) throw bad('unknown version');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const entries: MailboxEntry[] = [];
  let o = 1;
  let last = -1;
  while (o < body.length) {
    if (o + 13 > body.length) throw bad('an entry header is cut short');
    const seq = readUint64(view, o);
    const kind = kindOf(body[o + 8]);
    const length = view.getUint32(o + 9);
    if (seq === undefined || seq <= last) throw bad('sequence numbers are out of order');
    if (!kind) throw bad('an entry has an unknown kind');
    if (o + 13 + length > body.length) throw bad('an entry is cut short');
    entries.push({ seq, kind, blob: body.slice(o + 13, o + 13 + length) });
    last = seq;
    o += 13 + length;
  }
  return entries;
}

/** The envelope for one `Mailbox.push`: a fresh write id unless the caller retries one. */
export function encodePush(
  room: string,
  keys: MailboxKeyPair,
  blob: Uint8Array,
  options: PushOptions,
  now: number,
): Uint8Array {
  return encodeMailboxWrite(room, keys, {
    kind: options.kind,
    supersedes: options.supersedes ?? 0,
    timestamp: now,
    writeId: options.writeId ?? nacl.randomBytes(WRITE_ID_BYTES),
    payload: blob,
  });
}
