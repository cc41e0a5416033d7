// A kind of record is declared once, by the module that owns it, and registered with the
// kernel: its guard (what a well-formed record looks like), its slot (what it is a version
// of), its parent, and the items a change to it touches. The kernel never names a kind.
import type { MemberId } from '../crypto/keys.ts';
import type { Obj, SignedRecord } from './records.ts';
import type { SignatureCheck } from './Verifier.ts';

export interface RecordKind<R extends SignedRecord = SignedRecord> {
  /** The value of the records' `kind` field. */
  readonly kind: string;
  /** Checks the kind's own fields (the envelope is already checked); null when malformed. */
  parse(o: Obj): R | null;
  /**
   * What this record is a version of. Records of one slot compete and the newest valid one
   * (see `final`, then the highest `v`) is what members see. A slot that names its owner
   * (an item id derived from its author, a reaction keyed by author) can only be written by
   * that owner; `bound` checks the binding.
   */
  slot(r: R): string;
  /** Item ids whose views change when this record is added or wins: itself, its parent, … */
  touches(r: R): readonly string[];
  /** The item this record sits under (a reply's thread), for children lists. */
  parent?(r: R): string | undefined;
  /** A final version (a tombstone) beats every other version of its slot. */
  final?(r: R): boolean;
  /**
   * False when the record cannot belong to its slot's owner (an item id not derived from
   * its author): the record then counts as forged. Checked lazily, with the signature.
   */
  bound?(r: R): boolean;
  /** Signatures besides the author's that must hold (a shared post's original). */
  extraChecks?(r: R, text: (groupId: string, record: object) => string): SignatureCheck[];
}

/** The kinds one group understands, by `kind` field. Records of other kinds are kept, unread. */
export class KindRegistry {
  readonly #kinds = new Map<string, RecordKind>();

  constructor(kinds: Iterable<RecordKind> = []) {
    for (const k of kinds) this.add(k);
  }

  add(kind: RecordKind): this {
    if (this.#kinds.has(kind.kind)) throw new Error(`record kind ${kind.kind} registered twice`);
    this.#kinds.set(kind.kind, kind as RecordKind);
    return this;
  }

  get(kind: string): RecordKind | undefined {
    return this.#kinds.get(kind);
  }

  /** A copy with `more` added (the kernel's own kinds plus the features'). */
  with(more: Iterable<RecordKind>): KindRegistry {
    const out = new KindRegistry(this.#kinds.values());
    for (const k of more) out.add(k);
    return out;
  }
}

/** Orders the records of one slot, best first: final, then newest version, then a fixed tie-break. */
export function compareVersions(
  a: SignedRecord,
  aFinal: boolean,
  b: SignedRecord,
  bFinal: boolean,
): number {
  if (aFinal !== bFinal) return aFinal ? -1 : 1;
  if (a.v !== b.v) return b.v - a.v;
  if (a.author !== b.author) return a.author < b.author ? 1 : -1;
  return a.sig < b.sig ? 1 : a.sig > b.sig ? -1 : 0;
}

export type { MemberId };
