// The trust kernel. A group's Y.Doc is only a transport and a store for signed records:
// what a member sees is a fold over the well-formed records of known kinds, where in each
// slot the newest version whose signature checks out wins. Honest devices only ever add
// records (each under its own signature), so a removal or overwrite of a record is hostile
// and this device puts the record back at once. Feature modules (app/core/features) declare
// their kinds and build their views on the small API below; the kernel names no feature.
import * as Y from 'yjs';
import { type GroupId, generateGroupId, type MemberId } from '../crypto/keys.ts';
import { Emitter } from '../util/Emitter.ts';
import { canonicalJson, signedText, signRecord } from './canonical.ts';
import { GroupError } from './GroupError.ts';
import type { GroupChange, GroupOptions, Me, RecordStatus, SeenTimes } from './kernelTypes.ts';
import {
  type GroupInfo,
  groupInfoKind,
  type MemberView,
  memberKind,
  memberSlot,
} from './members.ts';
import { type Indexed, RecordIndex } from './RecordIndex.ts';
import { KindRegistry } from './RecordKind.ts';
import { isMemberId, type Obj, RECORDS_MAP, SCHEMA_VERSION, type SignedRecord } from './records.ts';
import {
  checkAbout,
  checkName,
  groupInfo,
  memberById,
  memberList,
  setGroupInfo,
  writeMember,
} from './roster.ts';
import { Standing } from './Standing.ts';
import { defaultVerifier, type VerifyStatus } from './Verifier.ts';

export type { GroupChange, GroupOptions, Me, RecordStatus, SeenTimes } from './kernelTypes.ts';

/** Times more than this far ahead of the reader's clock are not believed. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Origin of the transactions that put back what a hostile write removed. */
export const HEAL_ORIGIN = Symbol('hearth-heal');

const KERNEL_KINDS = new KindRegistry([memberKind, groupInfoKind]);
const INVALID: ReadonlySet<RecordStatus> = new Set(['forged', 'not-a-member', 'unknown']);

export class Group {
  readonly doc: Y.Doc;
  /** From the device's registry, never from the Y.Doc. */
  readonly id: GroupId;
  readonly #records: Y.Map<unknown>;
  readonly #kinds: KindRegistry;
  readonly #index: RecordIndex;
  readonly #standing: Standing;
  readonly #now: () => number;
  readonly #changes: Emitter<GroupChange>;
  /** When this device first saw each record dated in its future. */
  readonly #firstSeen = new Map<string, number>();
  readonly #seen: SeenTimes | undefined;
  readonly #memo = new Map<string, { deps: readonly string[]; value: unknown }>();
  /** Slots with a newer version waiting to be checked behind a valid one. */
  readonly #later = new Set<string>();
  readonly #queued = new WeakSet<SignedRecord>();

  private constructor(doc: Y.Doc, id: GroupId, options: GroupOptions) {
    this.doc = doc;
    this.id = id;
    this.#records = doc.getMap(RECORDS_MAP);
    this.#kinds = KERNEL_KINDS.with(options.kinds ?? []);
    this.#now = options.clock ?? (() => Date.now());
    this.#changes = new Emitter(options.onListenerError);
    this.#seen = options.seen;
    this.#index = new RecordIndex(this.#kinds);
    this.#standing = new Standing(this.#index, options.verifier ?? defaultVerifier, id);
    for (const [key, value] of this.#records) {
      const entry = this.#index.parse(key, value);
      if (entry) this.#add(entry);
    }
    doc.on('afterTransaction', this.#onTransaction);
  }

  /** Starts a new group in a new Y.Doc, with `me` as its first member. */
  static create(
    opts: { name: string; me: Me; about?: string; groupId?: GroupId } & GroupOptions,
  ): Group {
    const name = checkName(opts.name, 'A group name');
    const about = checkAbout(opts.about ?? '');
    const group = new Group(new Y.Doc(), opts.groupId ?? generateGroupId(), opts);
    group.doc.transact(() => {
      group.doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION);
      writeMember(group, opts.me, undefined);
      group.write(opts.me, 'group', { name, about });
    });
    return group;
  }

  /**
   * Wraps a Y.Doc that holds (or will receive) the group `groupId`. Nothing in the document
   * can stop it from opening: what this version does not understand is skipped.
   */
  static open(doc: Y.Doc, opts: { groupId: GroupId } & GroupOptions): Group {
    return new Group(doc, opts.groupId, opts);
  }

  /** Stops listening to the Y.Doc. */
  destroy(): void {
    this.doc.off('afterTransaction', this.#onTransaction);
    this.#changes.clear();
  }

  // --- records: the API features build on ---------------------------------------------------

  /** The record members see in `slot`: its best version not known to be invalid. */
  head<R extends SignedRecord = SignedRecord>(slot: string): R | undefined {
    // The best version known to be valid wins. A newer one still being checked does not
    // replace it until its check passes (started here, in the background); only a slot with
    // no checked version yet shows its best unchecked one, as 'checking'.
    let unchecked: SignedRecord | undefined;
    for (const c of this.#index.candidates(slot)) {
      const st = this.status(c.record);
      if (st === 'valid') {
        if (unchecked) this.#checkLater(slot, unchecked);
        return c.record as R;
      }
      if (st === 'checking') unchecked ??= c.record;
    }
    return unchecked as R | undefined;
  }

  #checkLater(slot: string, record: SignedRecord): void {
    // Each waiting version is queued once, however often its slot is read.
    if (this.#queued.has(record)) return;
    this.#queued.add(record);
    this.#later.add(slot);
    if (this.#later.size > 1) return;
    void Promise.resolve().then(() => {
      const slots = [...this.#later];
      this.#later.clear();
      return this.verify(slots).catch(() => undefined);
    });
  }

  /**
   * The newest version of `slot` this device knows to be genuine: one checked valid, or one
   * of `me`'s own (ed25519 signatures are deterministic, so signing a record again proves it
   * is one's own, at once and across sessions). Writes build on it, never on a version still
   * being checked, so a member never signs a forger's words as their own.
   */
  trusted<R extends SignedRecord = SignedRecord>(slot: string, me?: Me): R | undefined {
    for (const c of this.#index.candidates(slot)) {
      if (
        me && c.record.author === me.id
          ? this.#standing.isOwn(c, me)
          : this.status(c.record) === 'valid'
      ) {
        return c.record as R;
      }
    }
    return undefined;
  }

  /** The standing of one record: its signature, its id binding and its author's membership. */
  status(record: SignedRecord): RecordStatus {
    return this.#standing.status(record);
  }

  /** The standing of what members see in `slot` ('unknown' when nothing valid is there). */
  slotStatus(slot: string): RecordStatus {
    const head = this.head(slot);
    if (head) return this.status(head);
    const first = this.#index.candidates(slot)[0];
    return first ? this.status(first.record) : 'unknown';
  }

  /** Slots that hold records of `kind` (their heads may be of another kind: check). */
  slotsOf(kind: string): ReadonlySet<string> {
    return this.#index.slotsOf(kind);
  }

  /** Slots of records filed under `parent`. */
  childrenOf(parent: string): ReadonlySet<string> {
    return this.#index.childrenOf(parent);
  }

  /** Every version of a slot, best first, forged ones included (for history and tests). */
  versions(slot: string): readonly SignedRecord[] {
    return this.#index.candidates(slot).map((c) => c.record);
  }

  /**
   * A time a record claims, as this device shows it: never later than when this device
   * first saw the record, so a record dated in the future neither stays first in lists nor
   * silences unread counts.
   */
  time(record: SignedRecord, claimed: number = record.at): number {
    const seen = this.#firstSeen.get(record.sig);
    return seen !== undefined && claimed > seen ? seen : claimed;
  }

  now(): number {
    return this.#now();
  }

  /**
   * Caches `compute()` under `key` until one of `deps` (item ids or `kind:<kind>`) changes;
   * lets features keep sorted lists without re-sorting on every read.
   */
  memo<T>(key: string, deps: readonly string[], compute: () => T): T {
    const hit = this.#memo.get(key);
    if (hit) return hit.value as T;
    const value = compute();
    this.#memo.set(key, { deps, value });
    return value;
  }

  /**
   * Signs and stores a new version of a slot as `me`: `v` is one more than the newest
   * version there. Throws instead of writing anything this version's readers would ignore.
   */
  write<R extends SignedRecord>(me: Me, kind: string, fields: Obj): R {
    const k = this.#kinds.get(kind);
    if (!k) throw new GroupError('bad-record', 'This could not be saved: unknown kind of record.');
    const draft = { ...fields, kind, author: me.id, v: 1, at: this.#now() } as unknown as R;
    const slot = k.slot(draft);
    // Versions known to be invalid do not count: one numbered at the top of the range
    // would otherwise leave no next number and block every later write of the slot. If one
    // still being checked claims such a number, only versions known genuine count (checked,
    // or `me`'s own, as `trusted` knows them).
    const topOf = (counts: (c: Indexed) => boolean): number =>
      this.#index.candidates(slot).reduce((v, c) => (counts(c) ? Math.max(v, c.record.v) : v), 0);
    let top = topOf((c) => !INVALID.has(this.status(c.record)));
    if (!Number.isSafeInteger(top + 1)) {
      top = topOf((c) =>
        c.record.author === me.id ? this.#standing.isOwn(c, me) : this.status(c.record) === 'valid',
      );
    }
    if (!Number.isSafeInteger(top + 1)) {
      throw new GroupError('bad-record', 'This could not be saved: this has no next version.');
    }
    const record = signRecord(me, this.id, { ...draft, v: top + 1 }) as unknown as R;
    const entry = this.#index.parse(record.sig, record);
    if (!entry || entry.kind !== k) {
      throw new GroupError(
        'bad-record',
        "This could not be saved: it does not fit the group's format.",
      );
    }
    // Our own signature needs no check, but one the record rests on (a shared post's
    // original) does: until it is checked the record is 'checking' here as everywhere.
    if (!k.extraChecks?.(entry.record, signedText).length) this.#standing.markGood(entry.record);
    this.doc.transact(() => this.#records.set(record.sig, entry.record));
    // What we write shows as ours once our member record is checked here; make sure it is.
    const mine = this.#index.candidates(memberSlot(me.id))[0]?.record;
    if (mine && this.#standing.memberStatus(me.id) === 'checking')
      this.#checkLater(memberSlot(me.id), mine);
    if (this.#standing.signature(entry.record) === undefined) this.#checkLater(slot, entry.record);
    return entry.record as R;
  }

  /** Throws unless `me` has a member record here. */
  requireMember(me: Pick<Me, 'id'>): void {
    if (!this.head(memberSlot(me.id))) {
      throw new GroupError('not-a-member', 'Join this group before writing in it.');
    }
  }

  // --- info and members (roster.ts) -----------------------------------------------------------

  info(): GroupInfo {
    return groupInfo(this);
  }

  /** Renames the group or changes its description (see setGroupInfo). Any member may. */
  setInfo(me: Me, patch: { name?: string; about?: string }): Promise<void> {
    return setGroupInfo(this, me, patch);
  }

  /** Adds `me` as a member, or refreshes their name and box key (keeping join time, inviter). */
  join(me: Me, invitedBy?: MemberId): void {
    writeMember(this, me, invitedBy);
  }

  isMember(id: string): boolean {
    return this.head(memberSlot(id)) !== undefined;
  }

  member(id: string): MemberView | undefined {
    return memberById(this, id);
  }

  /** What to show for a member id (their label), or null when there is no member record. */
  memberName(id: MemberId): string | null {
    return this.member(id)?.label ?? null;
  }

  members(): MemberView[] {
    return memberList(this);
  }

  // --- verification ---------------------------------------------------------------------------

  /**
   * Checks the records of the given slots (item ids, `member:<id>` or bare member ids) and
   * of their authors' member records, then says what each slot now shows. A slot whose
   * newest version turns out forged falls back to its newest valid one, and listeners hear
   * of it. Results are cached, so checking what is on screen again is cheap.
   */
  async verify(slots: Iterable<string>): Promise<Map<string, VerifyStatus>> {
    const keyOf = (s: string): string =>
      isMemberId(s) && this.#index.candidates(s).length === 0 ? memberSlot(s) : s;
    const wanted = [...slots];
    const before = new Map<string, { head: SignedRecord | undefined; status: RecordStatus }>();
    const todo = new Map<SignedRecord, Indexed>();
    const pending = (slot: string): void => {
      for (const c of this.#index.candidates(slot)) {
        if (this.#standing.signature(c.record) === undefined) todo.set(c.record, c);
      }
    };
    for (const s of wanted) {
      const slot = keyOf(s);
      before.set(slot, { head: this.head(slot), status: this.slotStatus(slot) });
      pending(slot);
      for (const c of this.#index.candidates(slot)) pending(memberSlot(c.record.author));
    }
    await this.#standing.check([...todo.values()]);
    const touched = new Set<string>();
    const restyled = new Set<string>();
    const kinds = new Set<string>();
    for (const [slot, was] of before) {
      const now = this.head(slot);
      const sameHead = now === was.head;
      if (sameHead && this.slotStatus(slot) === was.status) continue;
      const entry = now ? this.#index.bySig.get(now.sig) : this.#index.candidates(slot)[0];
      // A new head changes lists; a new status of the same head only changes how it looks.
      for (const id of entry?.kind?.touches(entry.record) ?? [])
        (sameHead ? restyled : touched).add(id);
      if (entry?.kind && !sameHead) kinds.add(entry.kind.kind);
    }
    if (todo.size > 0) for (const r of todo.keys()) if (r.kind === 'member') kinds.add(r.kind);
    if (touched.size > 0 || restyled.size > 0 || kinds.size > 0) {
      this.#emit(touched, kinds, restyled);
    }
    const out = new Map<string, VerifyStatus>();
    for (const s of wanted) {
      const st = this.slotStatus(keyOf(s));
      out.set(s, st === 'checking' ? 'unknown' : st);
    }
    return out;
  }

  // --- change tracking and repair -------------------------------------------------------------

  /** Calls `cb` once per transaction or verification that changed what members see. */
  onChange(cb: (change: GroupChange) => void): () => void {
    return this.#changes.on(cb);
  }

  /**
   * True when `update` (a whole state, e.g. a mailbox snapshot from someone else) lacks
   * records this device holds, so a member who starts from it would miss them.
   */
  missingFrom(update: Uint8Array): boolean {
    return this.#index.missingFrom(update);
  }

  #add(entry: Indexed): readonly string[] {
    const r = entry.record;
    const now = this.#now();
    const claimed = Math.max(r.at, 'createdAt' in r ? (r.createdAt as number) : 0);
    if (claimed > now + MAX_CLOCK_SKEW_MS) {
      // Remembered across sessions, so such a record does not jump back to the top at every open.
      const first = this.#seen?.get(r.sig) ?? now;
      if (first === now) this.#seen?.set(r.sig, now);
      this.#firstSeen.set(r.sig, first);
    }
    return this.#index.add(entry);
  }

  #onTransaction = (tr: Y.Transaction): void => {
    const keys = tr.changed.get(this.#records as unknown as Parameters<typeof tr.changed.get>[0]);
    if (!keys || keys.size === 0) return;
    const touched = new Set<string>();
    const kinds = new Set<string>();
    const restore: SignedRecord[] = [];
    for (const key of keys) {
      if (key === null) continue;
      const value = this.#records.get(key);
      const old = this.#index.bySig.get(key);
      if (old && value === old.record) continue;
      const next = value === undefined ? null : this.#index.parse(key, value);
      if (old) {
        // Honest devices never remove or replace a record: whatever did is undone here.
        if (!next) restore.push(old.record);
        else if (canonicalJson(next.record) !== canonicalJson(old.record))
          void this.#contest(old, next);
        continue;
      }
      if (!next) continue;
      for (const id of this.#add(next)) touched.add(id);
      kinds.add(next.record.kind);
    }
    if (restore.length > 0) {
      this.doc.transact(() => {
        for (const r of restore) this.#records.set(r.sig, r);
      }, HEAL_ORIGIN);
    }
    if (touched.size > 0 || kinds.size > 0) this.#emit(touched, kinds);
  };

  /**
   * Two different records under one signature: at most one can be genuine. Both are checked
   * and every device keeps the same one (the genuine one, else the smaller encoding), so
   * honest devices never fight over the key.
   */
  async #contest(old: Indexed, next: Indexed): Promise<void> {
    await this.#standing.check([old, next]);
    const oldOk = this.#standing.signature(old.record) === true;
    const nextOk = this.#standing.signature(next.record) === true;
    // The genuine one, else (neither is) the smaller encoding, the same on every device.
    const keepNext = oldOk
      ? false
      : nextOk || canonicalJson(next.record) < canonicalJson(old.record);
    const winner = keepNext ? next : old;
    // Both records were just checked, so what lists showed while the kept one was
    // 'checking' may change whichever wins: listeners and cached lists hear of it.
    const touched = new Set<string>();
    for (const e of [old, next]) for (const id of e.kind?.touches(e.record) ?? []) touched.add(id);
    if (keepNext && this.#index.bySig.get(old.record.sig) === old) {
      for (const id of this.#index.replace(next)) touched.add(id);
    }
    this.#emit(touched, new Set([old.record.kind, next.record.kind]));
    if (this.#records.get(winner.record.sig) !== winner.record) {
      this.doc.transact(() => this.#records.set(winner.record.sig, winner.record), HEAL_ORIGIN);
    }
  }

  /** Drops cached lists that depend on `items` or `kinds`, then tells listeners (plus `restyled`). */
  #emit(items: Set<string>, kinds: Set<string>, restyled: ReadonlySet<string> = new Set()): void {
    for (const [key, hit] of this.#memo) {
      if (hit.deps.some((d) => items.has(d) || (d.startsWith('kind:') && kinds.has(d.slice(5))))) {
        this.#memo.delete(key);
      }
    }
    for (const id of restyled) items.add(id);
    this.#changes.emit({
      items,
      kinds,
      members: kinds.has('member'),
      info: kinds.has('group'),
    });
  }
}
