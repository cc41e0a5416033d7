// Checking ed25519 signatures of thousands of records must not stall a phone. WebCrypto
// Ed25519 (native, async) is used where the platform has it, @noble/curves otherwise, and
// every answer is cached by signer, signed text and signature so a record is checked once.
import nacl from 'tweetnacl';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/bytes.ts';

/** What the UI shows for an authored record. */
export type VerifyStatus =
  /** Signed by its author, who is a member of the group. */
  | 'valid'
  /** The signature does not match the author (or the id was taken over). */
  | 'forged'
  /** Correctly signed, but the author has no valid member record in this group. */
  | 'not-a-member'
  /** No record with this id, or one of the wrong shape. */
  | 'unknown';

/** One signature to check; all three are text as stored in records. */
export interface SignatureCheck {
  /** base64url ed25519 public key (a member id). */
  readonly signer: string;
  readonly text: string;
  /** base64url signature. */
  readonly sig: string;
}

interface RawCheck {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** A way to check many signatures at once; must never throw for bad input, only say false. */
export interface SignatureBackend {
  readonly name: string;
  verifyAll(checks: readonly RawCheck[]): Promise<boolean[]>;
}

/**
 * Pure-JS fallback. Strict RFC 8032 checks, like WebCrypto, so every device agrees. Loaded
 * only when needed, so browsers with WebCrypto Ed25519 never download it.
 */
export const nobleBackend: SignatureBackend = {
  name: 'noble',
  async verifyAll(checks) {
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    return checks.map((c) => {
      try {
        return ed25519.verify(c.signature, c.message, c.publicKey, { zip215: false });
      } catch {
        return false;
      }
    });
  },
};

// The core compiles without the DOM lib: declare just the WebCrypto surface used here.
interface Ed25519Subtle {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: readonly 'verify'[],
  ): Promise<unknown>;
  verify(
    algorithm: { name: 'Ed25519' },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

const ALG = { name: 'Ed25519' } as const;
const BATCH = 256;

/** WebCrypto Ed25519 when the platform has it (probed with a real signature), else null. */
export async function webCryptoBackend(): Promise<SignatureBackend | null> {
  const subtle = (globalThis as { crypto?: { subtle?: Ed25519Subtle } }).crypto?.subtle;
  if (!subtle) return null;
  const keys = new Map<string, Promise<unknown>>();
  const keyOf = (publicKey: Uint8Array): Promise<unknown> => {
    const id = publicKey.join(',');
    let key = keys.get(id);
    if (!key) {
      key = subtle.importKey('raw', publicKey, ALG, false, ['verify']);
      keys.set(id, key);
    }
    return key;
  };
  const one = async (c: RawCheck): Promise<boolean> => {
    try {
      if (c.publicKey.length !== 32 || c.signature.length !== 64) return false;
      return await subtle.verify(ALG, await keyOf(c.publicKey), c.signature, c.message);
    } catch {
      return false;
    }
  };
  const backend: SignatureBackend = {
    name: 'webcrypto',
    async verifyAll(checks) {
      const out: boolean[] = [];
      for (let i = 0; i < checks.length; i += BATCH) {
        out.push(...(await Promise.all(checks.slice(i, i + BATCH).map(one))));
      }
      return out;
    },
  };
  try {
    const pair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));
    const message = utf8('hearth/probe');
    const signature = nacl.sign.detached(message, pair.secretKey);
    const bad = signature.slice();
    bad[0]! ^= 1;
    const [good, forged] = await backend.verifyAll([
      { publicKey: pair.publicKey, message, signature },
      { publicKey: pair.publicKey, message, signature: bad },
    ]);
    return good === true && forged === false ? backend : null;
  } catch {
    return null;
  }
}

async function bestBackend(): Promise<SignatureBackend> {
  return (await webCryptoBackend()) ?? nobleBackend;
}

function decode(text: string, length: number): Uint8Array | null {
  try {
    const bytes = fromBase64Url(text);
    return bytes.length === length ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * Signatures found good in earlier sessions, by digest of what was checked, so a cold open
 * does not check again what it checked last time. Only good answers are remembered: a bad
 * one is always checked afresh.
 */
export interface RememberedChecks {
  has(digest: string): boolean;
  add(digest: string): void;
}

/** 16 bytes of SHA-512 over signer, text and signature: what RememberedChecks stores. */
export function checkDigest(c: SignatureCheck): string {
  return toBase64Url(nacl.hash(utf8(`${c.sig}\u0000${c.signer}\u0000${c.text}`)).subarray(0, 16));
}

/** Checks signatures in batches and remembers every answer. One per app is enough. */
export class Verifier {
  #backend: Promise<SignatureBackend> | null;
  readonly #cache = new Map<string, boolean>();
  readonly #remembered: RememberedChecks | undefined;

  /** Without a backend, the first check probes for WebCrypto Ed25519 and falls back to noble. */
  constructor(backend?: SignatureBackend, remembered?: RememberedChecks) {
    this.#backend = backend ? Promise.resolve(backend) : null;
    this.#remembered = remembered;
  }

  #getBackend(): Promise<SignatureBackend> {
    this.#backend ??= bestBackend();
    return this.#backend;
  }

  /** Name of the backend in use ('webcrypto' or 'noble'). */
  async backendName(): Promise<string> {
    return (await this.#getBackend()).name;
  }

  /** Number of answers cached so far. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** One boolean per check, in order. Never throws for malformed input. */
  async verify(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    const out = new Array<boolean>(checks.length).fill(false);
    const todo: { index: number; key: string; check: SignatureCheck; raw: RawCheck }[] = [];
    const pending = new Map<string, number[]>();
    checks.forEach((c, index) => {
      const key = `${c.sig}\u0000${c.signer}\u0000${c.text}`;
      const cached = this.#cache.get(key);
      if (cached !== undefined) {
        out[index] = cached;
        return;
      }
      const same = pending.get(key);
      if (same) {
        same.push(index);
        return;
      }
      if (this.#remembered?.has(checkDigest(c))) {
        this.#cache.set(key, true);
        out[index] = true;
        return;
      }
      const publicKey = decode(c.signer, 32);
      const signature = decode(c.sig, 64);
      if (!publicKey || !signature) {
        this.#cache.set(key, false);
        return;
      }
      pending.set(key, [index]);
      todo.push({ index, key, check: c, raw: { publicKey, signature, message: utf8(c.text) } });
    });
    if (todo.length === 0) return out;
    const results = await (await this.#getBackend()).verifyAll(todo.map((t) => t.raw));
    todo.forEach((t, i) => {
      const ok = results[i] === true;
      this.#cache.set(t.key, ok);
      if (ok) this.#remembered?.add(checkDigest(t.check));
      for (const index of pending.get(t.key) ?? []) out[index] = ok;
    });
    return out;
  }
}

/** Shared verifier used by groups unless one is passed in. */
export const defaultVerifier = new Verifier();
