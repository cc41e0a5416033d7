// The app lock's storage layer: a StorageAdapter over another one that hides both halves of
// every entry under the lock's data key. A key's segments become opaque names (HMAC-SHA-256,
// so `['groups', <id>]` and `['doc', <id>, 'row', …]` say nothing about which group or what
// kind of row), kept one name per segment so prefix reads still work; the value, together
// with its real key, is sealed with AES-256-GCM, bound to the opaque key. Range reads come
// back in the real keys' order. Every wrapped entry lives under the one plain segment
// WRAPPED_ROOT, so the lock's own record beside it is never mistaken for one.
import { concatBytes, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import { aesOpen, aesSeal, type DataKeys, dataKeys, hmac } from '../crypto/lockKeys.ts';
import { LOCKED_ROOT } from '../hearth/storageLayout.ts';
import {
  assertKey,
  assertOps,
  compareKeys,
  type StorageAdapter,
  type StorageChunk,
  StorageError,
  type StorageKey,
  type StorageOp,
} from './StorageAdapter.ts';

/** The one plain segment every wrapped entry is stored under. */
export const WRAPPED_ROOT = LOCKED_ROOT;
/** Opaque names are 128 bits of the HMAC: collisions are out of reach. */
const NAME_BYTES = 16;
/** Names are remembered per segment: a group's id or 'row' is named once per session. */
const NAME_CACHE_MAX = 4096;

export class WrappedStorage implements StorageAdapter {
  readonly #inner: StorageAdapter;
  readonly #keys: DataKeys;
  readonly #names = new Map<string, Promise<string>>();

  constructor(inner: StorageAdapter, dataKey: Uint8Array) {
    this.#inner = inner;
    this.#keys = dataKeys(dataKey);
  }

  #name(segment: string): Promise<string> {
    let name = this.#names.get(segment);
    if (!name) {
      name = hmac(this.#keys.mac, utf8(segment)).then((h) =>
        toBase64Url(h.subarray(0, NAME_BYTES)),
      );
      if (this.#names.size >= NAME_CACHE_MAX) this.#names.clear();
      this.#names.set(segment, name);
    }
    return name;
  }

  /** The opaque key an entry is stored under. */
  async outerKey(key: StorageKey): Promise<string[]> {
    return [WRAPPED_ROOT, ...(await Promise.all(key.map((s) => this.#name(s))))];
  }

  /** The stored bytes for `key` → `data`: [u32 key length][key as JSON][data], sealed. */
  async #seal(outer: StorageKey, key: StorageKey, data: Uint8Array): Promise<Uint8Array> {
    const k = utf8(JSON.stringify(key));
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, k.length);
    return aesSeal(this.#keys.seal, concatBytes(len, k, data), utf8(JSON.stringify(outer)));
  }

  async #open(outer: StorageKey, sealed: Uint8Array): Promise<StorageChunk> {
    let plain: Uint8Array;
    try {
      plain = await aesOpen(this.#keys.open, sealed, utf8(JSON.stringify(outer)));
    } catch (e) {
      throw new StorageError('unreadable', 'a locked entry failed authentication', { cause: e });
    }
    const len = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
    const key = JSON.parse(fromUtf8(plain.subarray(4, 4 + len))) as string[];
    return { key, data: plain.slice(4 + len) };
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    assertKey(key);
    const outer = await this.outerKey(key);
    const sealed = await this.#inner.load(outer);
    return sealed === undefined ? undefined : (await this.#open(outer, sealed)).data;
  }

  save(key: StorageKey, data: Uint8Array): Promise<void> {
    return this.batch([{ op: 'save', key, data }]);
  }

  remove(key: StorageKey): Promise<void> {
    return this.batch([{ op: 'remove', key }]);
  }

  async loadRange(prefix: StorageKey): Promise<StorageChunk[]> {
    assertKey(prefix, { allowEmpty: true });
    const chunks = await this.#inner.loadRange(await this.outerKey(prefix));
    const opened = await Promise.all(chunks.map((c) => this.#open(c.key, c.data)));
    return opened.sort((a, b) => compareKeys(a.key, b.key));
  }

  removeRange(prefix: StorageKey): Promise<void> {
    return this.batch([{ op: 'removeRange', prefix }]);
  }

  /** The inner ops that carry out `ops` (all sealed first, so one inner batch stays atomic). */
  async wrapOps(ops: readonly StorageOp[]): Promise<StorageOp[]> {
    assertOps(ops);
    return Promise.all(
      ops.map(async (op): Promise<StorageOp> => {
        if (op.op === 'removeRange') {
          return { op: 'removeRange', prefix: await this.outerKey(op.prefix) };
        }
        const key = await this.outerKey(op.key);
        return op.op === 'remove'
          ? { op: 'remove', key }
          : { op: 'save', key, data: await this.#seal(key, op.key, op.data) };
      }),
    );
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    await this.#inner.batch(await this.wrapOps(ops));
  }
}
