// The one interface every local store implements (memory for tests, IndexedDB in the
// browser), in the spirit of automerge-repo's StorageAdapterInterface. Keys are arrays of
// strings with one well-defined order, so range reads mean the same thing everywhere.

import { HearthError } from '../errors.ts';

/**
 * A storage key: one or more string segments.
 *
 * Order: keys compare segment by segment; segments compare by UTF-16 code units (plain JS
 * `<` on strings, which is also IndexedDB's string order); a key that is a proper prefix of
 * another sorts first. Numbers inside keys must be written with {@link seqSegment} (fixed
 * width, zero-padded) so that their text order is their numeric order.
 */
export type StorageKey = readonly string[];

export interface StorageChunk {
  readonly key: StorageKey;
  readonly data: Uint8Array;
}

export type StorageOp =
  | { readonly op: 'save'; readonly key: StorageKey; readonly data: Uint8Array }
  | { readonly op: 'remove'; readonly key: StorageKey }
  | { readonly op: 'removeRange'; readonly prefix: StorageKey };

export interface StorageAdapter {
  /** The bytes at `key`, or undefined when nothing is stored there. */
  load(key: StorageKey): Promise<Uint8Array | undefined>;
  save(key: StorageKey, data: Uint8Array): Promise<void>;
  /** Removing a missing key is not an error. */
  remove(key: StorageKey): Promise<void>;
  /** Every entry whose key starts with `prefix` (the prefix itself included), in key order. */
  loadRange(prefix: StorageKey): Promise<StorageChunk[]>;
  /**
   * The keys loadRange would answer, without their values, where the store can list them
   * cheaply (IndexedDB; undefined where it cannot): what a 5.5 MB document holds is not
   * needed to name its rows.
   */
  loadKeys?(prefix: StorageKey): Promise<StorageKey[] | undefined>;
  removeRange(prefix: StorageKey): Promise<void>;
  /** Applies every op in order, all or nothing. */
  batch(ops: readonly StorageOp[]): Promise<void>;
}

export type StorageErrorCode =
  | 'quota'
  | 'bad-key'
  | 'bad-value'
  | 'unavailable'
  | 'unreadable'
  | 'failed';

const MESSAGES: Record<StorageErrorCode, string> = {
  quota:
    'This device has run out of storage space for Hearth. Free some space (or remove old groups) and try again; nothing already saved was lost.',
  'bad-key':
    'Hearth could not use its storage on this device because of a fault in the app. Reload the app; if this keeps happening, update Hearth.',
  'bad-value':
    'Hearth could not use its storage on this device because of a fault in the app. Reload the app; if this keeps happening, update Hearth.',
  unavailable:
    'Local storage is not available in this browser (private mode can disable it), so nothing can be saved on this device.',
  unreadable:
    'Something stored on this device is not in a format Hearth reads. Update the app and reload; if this keeps happening, the data on this device may be damaged.',
  failed: 'Saving on this device failed. Nothing already saved was lost; try again.',
};

export class StorageError extends HearthError<StorageErrorCode> {
  override readonly name = 'StorageError';
  /** `detail` is for developers; the message, fixed per code, is for people. */
  constructor(code: StorageErrorCode, detail?: string, options: { cause?: unknown } = {}) {
    super(code, MESSAGES[code], { detail, cause: options.cause });
  }
}

/** Widest integer a key segment holds: 16 digits cover Number.MAX_SAFE_INTEGER. */
const SEQ_DIGITS = 16;

/** A non-negative safe integer as a fixed-width key segment whose text order is numeric. */
export function seqSegment(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new StorageError('bad-key', `a sequence number in a key must be a safe integer >= 0`);
  }
  return n.toString().padStart(SEQ_DIGITS, '0');
}

export function parseSeqSegment(segment: string): number | undefined {
  if (segment.length !== SEQ_DIGITS || !/^[0-9]+$/.test(segment)) return undefined;
  const n = Number(segment);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function compareKeys(a: StorageKey, b: StorageKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function hasPrefix(key: StorageKey, prefix: StorageKey): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

export function assertKey(key: unknown, { allowEmpty = false } = {}): asserts key is StorageKey {
  if (!Array.isArray(key) || (!allowEmpty && key.length === 0)) {
    throw new StorageError('bad-key', 'a storage key must be a non-empty array of strings');
  }
  for (const s of key) {
    if (typeof s !== 'string') {
      throw new StorageError('bad-key', 'every segment of a storage key must be a string');
    }
  }
}

export function assertBytes(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new StorageError('bad-value');
}

/** Checks a whole batch up front, so a bad op is caught before anything is written. */
export function assertOps(ops: readonly StorageOp[]): void {
  if (!Array.isArray(ops)) throw new StorageError('bad-value', 'a batch must be an array of ops');
  for (const op of ops) {
    if (op.op === 'save') {
      assertKey(op.key);
      assertBytes(op.data);
    } else if (op.op === 'remove') {
      assertKey(op.key);
    } else if (op.op === 'removeRange') {
      assertKey(op.prefix, { allowEmpty: true });
    } else {
      throw new StorageError('bad-value', 'a batch op must be save, remove or removeRange');
    }
  }
}

/** Node and browsers both call it QuotaExceededError; old WebKit only set code 22. */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || code === 22;
}
