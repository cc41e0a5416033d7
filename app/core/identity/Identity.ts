// A person's identity on this device: the ed25519 key that signs everything they write
// (its public half is their member id), the x25519 key that new group keys are sealed to,
// and a display name. The app keeps it in IndexedDB as JSON, so loading validates it.
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, toBase64Url } from '../crypto/bytes.ts';
import type {
  BoxKeyPair,
  BoxPublicKey,
  BoxSecretKey,
  MemberId,
  SigningKeyPair,
  SigningPublicKey,
  SigningSecretKey,
} from '../crypto/keys.ts';
import { generateBoxKeyPair, generateSigningKeyPair, memberIdOf } from '../crypto/keys.ts';
import { HearthError, type HearthErrorOptions } from '../errors.ts';
import { cleanName } from '../text/displayName.ts';

export interface Identity {
  /** base64url of the signing public key. */
  readonly id: MemberId;
  readonly name: string;
  readonly signing: SigningKeyPair;
  readonly box: BoxKeyPair;
  /** ms since the epoch. */
  readonly createdAt: number;
  /**
   * This device's own keys, once the member linked a second device (features/devices): new
   * epoch keys are then sealed to each linked device rather than to `box`.
   */
  readonly device?: DeviceKeys;
}

export interface DeviceKeys {
  /** 16 base64url characters, random. */
  readonly id: string;
  readonly label: string;
  readonly box: BoxKeyPair;
}

export interface DeviceKeysJSON {
  readonly id: string;
  readonly label: string;
  /** base64url of the device's 32-byte x25519 secret key. */
  readonly boxSecretKey: string;
}

/** Fresh keys for one device of a member. */
export function createDeviceKeys(label: string): DeviceKeys {
  return {
    id: toBase64Url(nacl.randomBytes(12)),
    label: cleanName(label) ?? 'A device',
    box: generateBoxKeyPair(),
  };
}

export function deviceKeysToJSON(d: DeviceKeys): DeviceKeysJSON {
  return { id: d.id, label: d.label, boxSecretKey: toBase64Url(d.box.secretKey) };
}

function deviceKeysFromJSON(v: unknown): DeviceKeys | undefined {
  if (v === undefined) return undefined;
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (typeof o.id !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(o.id)) {
    throw new IdentityError('bad-format', DAMAGED, { detail: 'device id' });
  }
  if (typeof o.label !== 'string' || cleanName(o.label) !== o.label) {
    throw new IdentityError('bad-format', DAMAGED, { detail: 'device label' });
  }
  return { id: o.id, label: o.label, box: boxKeyPairOf(key32(o.boxSecretKey, 'device key')) };
}

/** Stored form. Only the secret seeds are kept: public keys are derived and checked on load. */
export interface IdentityJSON {
  readonly v: 1;
  readonly id: string;
  readonly name: string;
  /** base64url of the 32-byte ed25519 seed. */
  readonly signingSeed: string;
  /** base64url of the 32-byte x25519 secret key. */
  readonly boxSecretKey: string;
  readonly createdAt: number;
  readonly device?: DeviceKeysJSON;
}

export type IdentityErrorCode = 'bad-name' | 'bad-format' | 'unknown-version' | 'bad-key';

export class IdentityError extends HearthError<IdentityErrorCode> {
  override readonly name = 'IdentityError';
  /** `message` is for people (plain words, what to do); `options.detail` for developers. */
  constructor(code: IdentityErrorCode, message: string, options: HearthErrorOptions = {}) {
    super(code, message, options);
  }
}

const DAMAGED =
  'The identity saved on this device is damaged, so Hearth cannot use it. Reload the app; if this keeps happening, update Hearth.';

function requireName(name: string): string {
  const clean = cleanName(name);
  if (clean === null) {
    throw new IdentityError('bad-name', 'A name needs 1 to 100 characters.');
  }
  return clean;
}

/** Makes fresh keys for a person. The name is cleaned (trimmed, control characters removed). */
export function createIdentity(name: string, now: number = Date.now()): Identity {
  const signing = generateSigningKeyPair();
  return {
    id: memberIdOf(signing.publicKey),
    name: requireName(name),
    signing,
    box: generateBoxKeyPair(),
    createdAt: now,
  };
}

/** Same keys, new name. Groups learn the new name when the member record is rewritten. */
export function renameIdentity(identity: Identity, name: string): Identity {
  return { ...identity, name: requireName(name) };
}

export function identityToJSON(identity: Identity): IdentityJSON {
  return {
    v: 1,
    id: identity.id,
    name: identity.name,
    signingSeed: toBase64Url(identity.signing.secretKey.subarray(0, 32)),
    boxSecretKey: toBase64Url(identity.box.secretKey),
    createdAt: identity.createdAt,
    ...(identity.device ? { device: deviceKeysToJSON(identity.device) } : {}),
  };
}

function key32(value: unknown, what: string): Uint8Array {
  let bytes: Uint8Array | null = null;
  if (typeof value === 'string') {
    try {
      bytes = fromBase64Url(value);
    } catch {
      bytes = null;
    }
  }
  if (bytes === null || bytes.length !== 32) {
    throw new IdentityError('bad-key', DAMAGED, { detail: `${what} is not 32 base64url bytes` });
  }
  return bytes;
}

/**
 * Rebuilds an identity from its stored form; every failure is an IdentityError. Deriving the
 * public keys from the secret ones costs tens of milliseconds (on a phone, the first time,
 * hundreds), which opening the app must not wait for. With `checkKeys: false` the signing
 * public key is read from the id (they are the same bytes), the encryption key pair is worked
 * out on first use, and the caller runs {@link checkIdentityKeys} once the first screen is
 * up; every other check still runs here.
 */
export function identityFromJSON(json: unknown, { checkKeys = true } = {}): Identity {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new IdentityError('bad-format', DAMAGED, { detail: 'not a JSON object' });
  }
  const o = json as Record<string, unknown>;
  if (o.v !== 1) {
    throw new IdentityError(
      'unknown-version',
      typeof o.v === 'number' && o.v > 1
        ? 'The identity saved on this device was written by a newer version of Hearth. Update the app, then reload.'
        : DAMAGED,
      { detail: `version ${String(o.v)}` },
    );
  }
  if (typeof o.name !== 'string' || cleanName(o.name) !== o.name) {
    throw new IdentityError('bad-name', DAMAGED, { detail: 'name missing or not clean' });
  }
  if (typeof o.createdAt !== 'number' || !Number.isSafeInteger(o.createdAt) || o.createdAt < 0) {
    throw new IdentityError('bad-format', DAMAGED, {
      detail: 'createdAt is not a safe integer >= 0',
    });
  }
  const seed = key32(o.signingSeed, 'signing key');
  const boxSecret = key32(o.boxSecretKey, 'encryption key');
  const device = deviceKeysFromJSON(o.device);
  const withDevice = device ? { device } : {};
  if (!checkKeys) {
    const publicKey = key32(o.id, 'member id') as SigningPublicKey;
    if (memberIdOf(publicKey) !== o.id) {
      throw new IdentityError('bad-key', DAMAGED, { detail: 'the id is not canonical base64url' });
    }
    let box: BoxKeyPair | undefined;
    return {
      id: o.id as MemberId,
      name: o.name,
      signing: { publicKey, secretKey: concatBytes(seed, publicKey) as SigningSecretKey },
      get box(): BoxKeyPair {
        box ??= boxKeyPairOf(boxSecret);
        return box;
      },
      createdAt: o.createdAt,
      ...withDevice,
    };
  }
  const signPair = nacl.sign.keyPair.fromSeed(seed);
  const boxPair = boxKeyPairOf(boxSecret);
  const id = memberIdOf(signPair.publicKey as SigningPublicKey);
  if (o.id !== id) {
    throw new IdentityError('bad-key', DAMAGED, { detail: 'keys do not match the id' });
  }
  return {
    id,
    name: o.name,
    signing: {
      publicKey: signPair.publicKey as SigningPublicKey,
      secretKey: signPair.secretKey as SigningSecretKey,
    },
    box: boxPair,
    createdAt: o.createdAt,
    ...withDevice,
  };
}

/**
 * The check `identityFromJSON(json, { checkKeys: false })` leaves out: the signing seed must
 * derive the member id. Rejects with IdentityError 'bad-key' when it does not. Uses the
 * platform's own ed25519 where there is one (microseconds, off the page's thread), else
 * tweetnacl.
 */
export async function checkIdentityKeys(identity: Identity): Promise<void> {
  const seed = identity.signing.secretKey.subarray(0, 32);
  const id =
    (await nativeSigningKeyId(seed)) ??
    memberIdOf(nacl.sign.keyPair.fromSeed(seed).publicKey as SigningPublicKey);
  if (id !== identity.id) {
    throw new IdentityError('bad-key', DAMAGED, { detail: 'keys do not match the id' });
  }
}

// The core compiles without the DOM lib: just the WebCrypto surface used here.
interface Ed25519KeySubtle {
  importKey(
    format: 'pkcs8',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: true,
    usages: readonly 'sign'[],
  ): Promise<unknown>;
  exportKey(format: 'jwk', key: unknown): Promise<{ x?: string }>;
}

/** DER prefix of a PKCS#8 ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** base64url of the seed's public key by WebCrypto, or null where it has no ed25519. */
async function nativeSigningKeyId(seed: Uint8Array): Promise<string | null> {
  const subtle = (globalThis as { crypto?: { subtle?: Ed25519KeySubtle } }).crypto?.subtle;
  if (!subtle) return null;
  try {
    const key = await subtle.importKey(
      'pkcs8',
      concatBytes(PKCS8_ED25519, seed),
      { name: 'Ed25519' },
      true,
      ['sign'],
    );
    const { x } = await subtle.exportKey('jwk', key);
    return typeof x === 'string' ? x : null;
  } catch {
    return null;
  }
}

function boxKeyPairOf(secretKey: Uint8Array): BoxKeyPair {
  const pair = nacl.box.keyPair.fromSecretKey(secretKey);
  return { publicKey: pair.publicKey as BoxPublicKey, secretKey: pair.secretKey as BoxSecretKey };
}
