// Every kind of key gets its own branded type so a store key can never be passed where a
// group key is expected. Derivations follow the design: H = SHA-512 with a domain label.
import nacl from 'tweetnacl';
import { HearthError } from '../errors.ts';
import { Base64UrlError, concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** The group key K of one epoch: 32 random bytes. Travels only in invite fragments. */
export type GroupKey = Brand<Uint8Array, 'GroupKey'>;
/** secretbox key for every stored, mailed or exported Yjs update of one epoch. */
export type StoreKey = Brand<Uint8Array, 'StoreKey'>;
/** y-webrtc room name and mailbox topic of one epoch; opaque to the relay. */
export type RoomId = Brand<string, 'RoomId'>;
/** y-webrtc `password` for one epoch. */
export type SignalingSecret = Brand<string, 'SignalingSecret'>;
/** Stable id of a group for its whole life (not derived from K, which changes per epoch). */
export type GroupId = Brand<string, 'GroupId'>;
/** base64url of a member's ed25519 signing public key. */
export type MemberId = Brand<string, 'MemberId'>;

export type SigningPublicKey = Brand<Uint8Array, 'SigningPublicKey'>;
export type SigningSecretKey = Brand<Uint8Array, 'SigningSecretKey'>;
export type BoxPublicKey = Brand<Uint8Array, 'BoxPublicKey'>;
export type BoxSecretKey = Brand<Uint8Array, 'BoxSecretKey'>;
export type MailboxPublicKey = Brand<Uint8Array, 'MailboxPublicKey'>;
export type MailboxSecretKey = Brand<Uint8Array, 'MailboxSecretKey'>;

export interface SigningKeyPair {
  readonly publicKey: SigningPublicKey;
  readonly secretKey: SigningSecretKey;
}
export interface BoxKeyPair {
  readonly publicKey: BoxPublicKey;
  readonly secretKey: BoxSecretKey;
}
export interface MailboxKeyPair {
  readonly publicKey: MailboxPublicKey;
  readonly secretKey: MailboxSecretKey;
}

/** Everything one key epoch needs, derived once from K. */
export interface EpochKeys {
  readonly groupKey: GroupKey;
  readonly roomId: RoomId;
  readonly signalingSecret: SignalingSecret;
  readonly storeKey: StoreKey;
  readonly mailbox: MailboxKeyPair;
}

export const GROUP_KEY_BYTES = 32;

export type KeyFormatErrorCode = 'bad-group-key' | 'bad-member-id';

const KEY_FORMAT_MESSAGES: Record<KeyFormatErrorCode, string> = {
  'bad-group-key':
    'This group key is damaged, so the group cannot be opened. Ask a member for a fresh invite.',
  'bad-member-id':
    'A member’s id is damaged, so Hearth cannot check what they wrote. Syncing again may repair it.',
};

export class KeyFormatError extends HearthError<KeyFormatErrorCode> {
  override readonly name = 'KeyFormatError';
  /** `detail` is for developers (lengths, encodings); the message is for people. */
  constructor(code: KeyFormatErrorCode, detail?: string, options: { cause?: unknown } = {}) {
    super(code, KEY_FORMAT_MESSAGES[code], { detail, cause: options.cause });
  }
}

export function generateGroupKey(): GroupKey {
  return nacl.randomBytes(GROUP_KEY_BYTES) as GroupKey;
}

export function generateGroupId(): GroupId {
  return toBase64Url(nacl.randomBytes(16)) as GroupId;
}

export function groupKeyToText(key: GroupKey): string {
  return toBase64Url(key);
}

export function groupKeyFromText(text: string): GroupKey {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch (e) {
    if (e instanceof Base64UrlError) {
      throw new KeyFormatError('bad-group-key', `group key is not base64url: ${e.detail}`, {
        cause: e,
      });
    }
    throw e;
  }
  if (bytes.length !== GROUP_KEY_BYTES) {
    throw new KeyFormatError(
      'bad-group-key',
      `group key must be ${GROUP_KEY_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes as GroupKey;
}

function h(label: string, key: GroupKey): Uint8Array {
  return nacl.hash(concatBytes(utf8(label), key));
}

export const deriveRoomId = (k: GroupKey): RoomId =>
  toBase64Url(h('hearth/room/v1', k).subarray(0, 16)) as RoomId;

export const deriveSignalingSecret = (k: GroupKey): SignalingSecret =>
  toBase64Url(h('hearth/signal/v1', k).subarray(0, 32)) as SignalingSecret;

export const deriveStoreKey = (k: GroupKey): StoreKey =>
  h('hearth/store/v1', k).slice(0, 32) as StoreKey;

export function deriveMailboxKeyPair(k: GroupKey): MailboxKeyPair {
  const pair = nacl.sign.keyPair.fromSeed(h('hearth/mailbox/v1', k).subarray(0, 32));
  return {
    publicKey: pair.publicKey as MailboxPublicKey,
    secretKey: pair.secretKey as MailboxSecretKey,
  };
}

/**
 * The key of one note's own document in one epoch: from it come the note's sealed storage
 * rows, its mailbox room and its live room, just as an epoch's come from the group key.
 */
export const deriveNoteKey = (k: GroupKey, noteId: string): GroupKey =>
  nacl.hash(concatBytes(utf8('hearth/note/v1'), k, utf8(noteId))).slice(0, 32) as GroupKey;

/**
 * Every key of one epoch. The mailbox key pair costs an ed25519 key derivation (tens of ms,
 * far more on a phone the first time) and only uploads use it, so it is worked out on first
 * use: opening a group to read it does not wait for it.
 */
export function deriveEpochKeys(groupKey: GroupKey): EpochKeys {
  let mailbox: MailboxKeyPair | undefined;
  return {
    groupKey,
    roomId: deriveRoomId(groupKey),
    signalingSecret: deriveSignalingSecret(groupKey),
    storeKey: deriveStoreKey(groupKey),
    get mailbox(): MailboxKeyPair {
      mailbox ??= deriveMailboxKeyPair(groupKey);
      return mailbox;
    },
  };
}

export function generateSigningKeyPair(): SigningKeyPair {
  const p = nacl.sign.keyPair();
  return { publicKey: p.publicKey as SigningPublicKey, secretKey: p.secretKey as SigningSecretKey };
}

export function generateBoxKeyPair(): BoxKeyPair {
  const p = nacl.box.keyPair();
  return { publicKey: p.publicKey as BoxPublicKey, secretKey: p.secretKey as BoxSecretKey };
}

export const memberIdOf = (key: SigningPublicKey): MemberId => toBase64Url(key) as MemberId;

export function signingKeyOfMember(id: MemberId): SigningPublicKey {
  const bytes = fromBase64Url(id);
  if (bytes.length !== 32) {
    throw new KeyFormatError('bad-member-id', 'member id is not a 32-byte signing key');
  }
  return bytes as SigningPublicKey;
}
