// The group document is only a transport and a store for signed records; these guards decide
// what a record is. Every record shares one envelope (kind, author, version, time, signature)
// and is stored under its own signature, so no honest write ever replaces or deletes a key.
// Kind-specific fields are checked by the kind's own guard (see RecordKind.ts).
import type { MemberId } from '../crypto/keys.ts';

/** Written into `meta` for information only: readers never refuse a document because of it. */
export const SCHEMA_VERSION = 2;

/** The one root map records live in: signature -> record. */
export const RECORDS_MAP = 'records';

const MAX_FIELDS = 20;

export type Obj = Record<string, unknown>;

/** What every signed record carries. */
export interface SignedRecord {
  readonly kind: string;
  /** The signer's member id. */
  readonly author: MemberId;
  /**
   * The version of the slot this record writes (see RecordKind.slot): the newest valid
   * version wins, whatever order records arrive in. 1 for a new slot.
   */
  readonly v: number;
  /** When the author says they wrote this version (ms); a claim, clamped on read. */
  readonly at: number;
  /** base64url ed25519 signature over the canonical text (canonical.ts); also the record's key. */
  readonly sig: string;
}

// --- shared field guards ----------------------------------------------------------------------

const B64 = /^[A-Za-z0-9_-]+$/;
export const isB64 = (v: unknown, length: number): v is string =>
  typeof v === 'string' && v.length === length && B64.test(v);

export const isItemId = (v: unknown): v is string => isB64(v, 16);
export const isMemberId = (v: unknown): v is MemberId => isB64(v, 43);
export const isGroupIdText = (v: unknown): v is string => isB64(v, 22);
export const isNonce = (v: unknown): v is string => isB64(v, 11);
export const isSig = (v: unknown): v is string => isB64(v, 86);
export const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isVersion = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
export const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length <= max;
export const optional = <T>(v: unknown, guard: (x: unknown) => x is T): boolean =>
  v === undefined || guard(v);

/** A plain object with a bounded number of fields, or null. */
export function asObject(v: unknown, maxFields = MAX_FIELDS): Obj | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return null;
  if (Object.keys(v).length > maxFields) return null;
  return v as Obj;
}

/**
 * The envelope of the value stored under `key`, or null: a record must sit under its own
 * signature, so a value copied or written under another record's key is not a record.
 */
export function parseEnvelope(key: string, value: unknown): Obj | null {
  const o = asObject(value);
  if (!o || o.sig !== key || !isSig(o.sig)) return null;
  if (typeof o.kind !== 'string' || o.kind.length === 0 || o.kind.length > 32) return null;
  if (!isMemberId(o.author) || !isVersion(o.v) || !isTime(o.at)) return null;
  return o;
}
