// The records of one group document, parsed once and grouped by slot, kind and parent, so
// reads of a 10,000-item group never scan every record. It is updated from the keys a Yjs
// transaction changed, and it never forgets a record because the document lost it: the
// kernel uses what it holds to put back what a hostile write removed.

import * as Y from 'yjs';
import type { KindRegistry, RecordKind } from './RecordKind.ts';
import { compareVersions } from './RecordKind.ts';
import { type Obj, parseEnvelope, RECORDS_MAP, type SignedRecord } from './records.ts';

export interface Indexed {
  readonly record: SignedRecord;
  /** Undefined for a kind this version does not know: kept and healed, never shown. */
  readonly kind: RecordKind | undefined;
  readonly slot: string | undefined;
  readonly final: boolean;
}

export class RecordIndex {
  /** Every well-formed record seen, by signature (its key in the document). */
  readonly bySig = new Map<string, Indexed>();
  readonly #slots = new Map<string, Indexed[]>();
  readonly #byKind = new Map<string, Set<string>>();
  readonly #children = new Map<string, Set<string>>();
  readonly #kinds: KindRegistry;

  constructor(kinds: KindRegistry) {
    this.#kinds = kinds;
  }

  /** Parses the value stored under `key`; null when it is not a well-formed record. */
  parse(key: string, value: unknown): Indexed | null {
    const o = parseEnvelope(key, value);
    if (!o) return null;
    const kind = this.#kinds.get(o.kind as string);
    if (!kind)
      return {
        record: o as unknown as SignedRecord,
        kind: undefined,
        slot: undefined,
        final: false,
      };
    const record = kind.parse(o as Obj);
    if (!record) return null;
    return { record, kind, slot: kind.slot(record), final: kind.final?.(record) === true };
  }

  /** Adds a record; returns the item ids it touches (empty for unknown kinds). */
  add(entry: Indexed): readonly string[] {
    this.bySig.set(entry.record.sig, entry);
    const { kind, slot, record } = entry;
    if (!kind || slot === undefined) return [];
    let list = this.#slots.get(slot);
    if (!list) {
      list = [];
      this.#slots.set(slot, list);
    }
    let i = 0;
    while (
      i < list.length &&
      compareVersions(list[i]!.record, list[i]!.final, record, entry.final) < 0
    )
      i++;
    list.splice(i, 0, entry);
    let set = this.#byKind.get(kind.kind);
    if (!set) {
      set = new Set();
      this.#byKind.set(kind.kind, set);
    }
    set.add(slot);
    const parent = kind.parent?.(record);
    if (parent !== undefined) {
      let children = this.#children.get(parent);
      if (!children) {
        children = new Set();
        this.#children.set(parent, children);
      }
      children.add(slot);
    }
    return kind.touches(record);
  }

  /** Replaces a record under the same signature (resolving a contention); returns touched ids. */
  replace(entry: Indexed): readonly string[] {
    const old = this.bySig.get(entry.record.sig);
    const touched = old ? [...this.#remove(old)] : [];
    return [...touched, ...this.add(entry)];
  }

  #remove(entry: Indexed): readonly string[] {
    this.bySig.delete(entry.record.sig);
    if (!entry.kind || entry.slot === undefined) return [];
    const list = this.#slots.get(entry.slot);
    const i = list?.indexOf(entry) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    return entry.kind.touches(entry.record);
  }

  /** The records of a slot, best first (before verification is taken into account). */
  candidates(slot: string): readonly Indexed[] {
    return this.#slots.get(slot) ?? [];
  }

  /** Slots holding at least one record of `kind`. */
  slotsOf(kind: string): ReadonlySet<string> {
    return this.#byKind.get(kind) ?? new Set();
  }

  /**
   * True when `update` (a whole state, e.g. a mailbox snapshot from someone else) lacks
   * records held here, so a member who starts from it would miss them.
   */
  missingFrom(update: Uint8Array): boolean {
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      return true;
    }
    const theirs = scratch.getMap(RECORDS_MAP);
    for (const sig of this.bySig.keys()) if (!theirs.has(sig)) return true;
    return false;
  }

  /** Slots of records that name `parent` as their parent. */
  childrenOf(parent: string): ReadonlySet<string> {
    return this.#children.get(parent) ?? new Set();
  }
}
