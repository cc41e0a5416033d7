// Which key epoch one group's device syncs in, and moving it along. Each epoch has its own
// room, signaling secret, mailbox and mailbox key (derived from its key K); the group's one
// Y.Doc carries all of them, so history stays readable and a new room starts with a copy of
// the whole document; epoch records are published in the room they leave: a device that
// finds one sealed to it moves on (then finds the next one in the next room), a device left
// out learns it was removed, and a device that moved keeps reading the room it left for
// competing epoch records (concurrent removals), copying only those records across.
import * as Y from 'yjs';
import { deriveEpochKeys, deriveRoomId, type EpochKeys, type GroupKey } from '../crypto/keys.ts';
import type { Devices } from '../features/devices/index.ts';
import {
  type Departure,
  type EpochRecord,
  type Membership,
  membershipSlots,
  openEpochKey,
  writeEpoch,
} from '../features/membership/index.ts';
import { vouchFollowed } from '../features/origin/Origin.ts';
import type { Group, Me } from '../group/Group.ts';
import { parseEnvelope, RECORDS_MAP } from '../group/records.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import type { StorageAdapter } from '../storage/StorageAdapter.ts';
import { loadSync } from '../sync/lazy.ts';
import type { Mailbox } from '../sync/Mailbox.ts';
import type { MailboxSync } from '../sync/MailboxSync.ts';
import type { SyncSession, SyncStatus } from '../sync/SyncSession.ts';
import type { PresenceChannel, Transport } from '../sync/Transport.ts';
import { Emitter } from '../util/Emitter.ts';

/** This device's place in the group. */
export type MembershipState =
  | { readonly kind: 'member' }
  | ({ readonly kind: 'removed' } & Departure)
  | ({ readonly kind: 'left' } & Departure)
  /** The group moved to a key this device was not given (an old invite, a late join). */
  | { readonly kind: 'locked-out' };

/** Origin of records copied from the room an epoch left (competing epoch records). */
export const EPOCH_COPY_ORIGIN = Symbol('hearth-epoch-copy');
/** Kinds read from the room this device left: only what decides epochs and departures. */
const COPIED_KINDS: ReadonlySet<string> = new Set(['epoch', 'left']);
/** Moves and new epochs one evaluation may make before it waits for the next change. */
const MAX_STEPS = 8;
const NEVER = Number.MAX_SAFE_INTEGER;

export interface EpochFollowerOptions {
  readonly group: Group;
  readonly membership: Membership;
  /** Whose devices a new epoch key is sealed to, and which were unlinked (features/devices). */
  readonly devices: Devices;
  /** The key this device joined or created the group with. */
  readonly entryKey: GroupKey;
  readonly me: () => Me | null;
  readonly storage: StorageAdapter;
  readonly mailbox: Mailbox;
  readonly relays: readonly string[];
  /** Local changes with these origins are not uploaded (the local store's own). */
  readonly ignoreOrigins: readonly unknown[];
  readonly beforeCursorCommit: () => Promise<void>;
  transportFor?(args: {
    doc: Y.Doc;
    keys: EpochKeys;
    relays: readonly string[];
  }): Promise<Transport | undefined>;
  /** Called with the current epoch's key whenever it changes (to keep it in the registry). */
  onKey?(key: GroupKey): void;
}

interface Parent {
  readonly keys: EpochKeys;
  /** Uploads what this device queued for that room before it moved (the epoch record). */
  readonly drain: MailboxSync;
  /** Reads the room from the start into a scratch document, for its epoch records. */
  readonly watch: MailboxSync;
  readonly scratch: Y.Doc;
}

export class EpochFollower {
  readonly #o: EpochFollowerOptions;
  #keys: EpochKeys;
  #session: SyncSession | undefined;
  #parent: Parent | undefined;
  #state: MembershipState = { kind: 'member' };
  #epochRecords = 0;
  #closed = false;
  #work: Promise<void> = Promise.resolve();
  readonly #status = new Emitter<SyncStatus | undefined>();
  readonly #stateListeners = new Emitter<MembershipState>();
  readonly #offChange: () => void;

  constructor(options: EpochFollowerOptions, startKey: GroupKey = options.entryKey) {
    this.#o = options;
    this.#keys = deriveEpochKeys(startKey);
    this.#epochRecords = options.group.slotsOf('epoch').size;
    this.#offChange = options.group.onChange((c) => {
      if (['epoch', 'left', 'role', 'device'].some((k) => c.kinds.has(k))) void this.review();
      // Who is an admin shows on screen: check new role records (and whom they name) at once.
      if (c.kinds.has('role')) {
        const g = options.group;
        void g.verify(['group', ...g.slotsOf('role')]).catch(() => undefined);
      }
    });
  }

  get keys(): EpochKeys {
    return this.#keys;
  }

  get state(): MembershipState {
    return this.#state;
  }

  get status(): SyncStatus | undefined {
    return this.#session?.status;
  }

  /** Presence of the epoch this device syncs in now (a new epoch has a new channel). */
  get presence(): PresenceChannel | undefined {
    return this.#session?.presence;
  }

  onStatus(cb: (s: SyncStatus | undefined) => void): () => void {
    return this.#status.on(cb);
  }

  onState(cb: (s: MembershipState) => void): () => void {
    return this.#stateListeners.on(cb);
  }

  /** Decides the epoch from what the document holds, then starts syncing there. */
  start(): Promise<void> {
    return this.review();
  }

  /** Re-reads the membership records and moves, stops or starts a new epoch as they say. */
  review(): Promise<void> {
    this.#work = this.#work.then(
      () => this.#review(),
      () => this.#review(),
    );
    return this.#work;
  }

  /** Pulls the current room, and the room this device left for competing epoch records. */
  async pullNow(): Promise<void> {
    await this.#work.catch(() => undefined);
    await this.#session?.pullNow();
    await this.#watchParent();
    // A pull that stopped at a new epoch record continues once the record is dealt with.
    for (let i = 0; i < MAX_STEPS && this.#halted; i++) {
      this.#halted = false;
      await this.review();
      await this.#session?.pullNow();
    }
    // What the pulls brought (a leave, a competing epoch) is dealt with before answering.
    await this.#work.catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.#work.catch(() => undefined);
    await this.#session?.flush();
    await this.#parent?.drain.flush();
  }

  /** An admin removes members: a new epoch without them, moved to at once. */
  async remove(me: Me, removed: readonly Me['id'][], reason?: string): Promise<void> {
    await this.#work.catch(() => undefined);
    await this.#o.group.verify(membershipSlots(this.#o.group));
    this.#newEpoch(me, removed, reason);
    await this.review();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#offChange();
    await this.#work.catch(() => undefined);
    await this.#stopSession();
    await this.#stopParent();
    this.#status.clear();
    this.#stateListeners.clear();
  }

  #halted = false;

  async #review(): Promise<void> {
    if (this.#closed) return;
    const { group, membership } = this.#o;
    // A group nobody has left has one epoch: sync in it without checking any signature first
    // (opening a group stays as cheap as before there were epochs).
    if (['epoch', 'left', 'device'].every((k) => group.slotsOf(k).size === 0)) {
      this.#setState({ kind: 'member' });
      if (!this.#session) await this.#moveTo(this.#keys, membership.fold());
      return;
    }
    await group.verify(membershipSlots(group));
    for (let step = 0; step < MAX_STEPS && !this.#closed; step++) {
      const me = this.#o.me();
      const fold = membership.fold();
      const gone = me ? fold.departed.get(me.id) : undefined;
      if (gone) {
        this.#setState({ kind: gone.how, ...gone });
        await this.#stopSession();
        await this.#stopParent();
        return;
      }
      const target = me ? this.#target(fold.chain, me) : this.#keys;
      if (!target) {
        this.#setState({ kind: 'locked-out' });
        await this.#stopSession();
        return;
      }
      this.#setState({ kind: 'member' });
      if (target.roomId !== this.#keys.roomId || !this.#session) await this.#moveTo(target, fold);
      // An admin's device vouches for the epochs it followed that no admin started, so their
      // keys prove the group (groupProof.ts).
      if (me) vouchFollowed(group, me, fold.chain, membership.everAdmins(), this.#keys.roomId);
      // Someone who left or was removed still holds this epoch's key: start the next one.
      if (me && fold.pending.length > 0 && this.#current(fold.chain)) {
        const leaversOnly = fold.pending.every((id) => fold.departed.get(id)?.how === 'left');
        if (!fold.admins.has(me.id) && !leaversOnly) return;
        this.#newEpoch(me, fold.pending);
        await group.verify(membershipSlots(group));
        continue;
      }
      // A device of this member was unlinked and may hold this epoch's key: the member's
      // device starts the next epoch, sealed only to the devices still linked.
      const newest = fold.chain.at(-1);
      const sealedTo = newest ? Object.keys(newest.keys) : undefined;
      if (me && this.#current(fold.chain) && this.#o.devices.unlinkedHoldsKey(me.id, sealedTo)) {
        this.#newEpoch(me, []);
        await group.verify(membershipSlots(group));
        continue;
      }
      return;
    }
  }

  /** True when this device is in the newest epoch the document knows. */
  #current(chain: readonly EpochRecord[]): boolean {
    const newest = chain[chain.length - 1];
    return !newest || newest.room === this.#keys.roomId;
  }

  #newEpoch(me: Me, removed: readonly Me['id'][], reason?: string): void {
    const prev = this.#o.membership.fold().chain.at(-1)?.room ?? this.#keys.roomId;
    writeEpoch(this.#o.group, me, {
      prev,
      removed,
      ...(reason !== undefined ? { reason } : {}),
    });
  }

  /** The keys of the newest epoch this device can enter, or undefined when it was left out. */
  #target(chain: readonly EpochRecord[], me: Me): EpochKeys | undefined {
    const newest = chain[chain.length - 1];
    if (!newest) return this.#keys;
    // A key newer than anything the document knows yet (a fresh join): stay with it. A room
    // of any epoch record, a losing one included, is not newer.
    const known = (room: string): boolean =>
      chain[0]!.prev === room ||
      this.#o.group.slotsOf('epoch').has(`epoch:${room}`) ||
      [...this.#o.group.slotsOf('epoch')].some((slot) =>
        this.#o.group.versions(slot).some((r) => (r as EpochRecord).prev === room),
      );
    if (!known(this.#keys.roomId)) return this.#keys;
    if (newest.room === this.#keys.roomId) return this.#keys;
    if (newest.room === deriveRoomId(this.#o.entryKey)) return deriveEpochKeys(this.#o.entryKey);
    const key = openEpochKey(newest, me);
    return key ? deriveEpochKeys(key) : undefined;
  }

  /** The key of the room an epoch record left, if this device can know it. */
  #keyOfRoom(room: string, chain: readonly EpochRecord[], me: Me | null): GroupKey | undefined {
    if (room === deriveRoomId(this.#o.entryKey)) return this.#o.entryKey;
    if (room === this.#keys.roomId) return this.#keys.groupKey;
    const r = chain.find((c) => c.room === room);
    return r && me ? openEpochKey(r, me) : undefined;
  }

  async #moveTo(target: EpochKeys, fold: ReturnType<Membership['fold']>): Promise<void> {
    const left = this.#session ? this.#keys : undefined;
    await this.#stopSession();
    this.#keys = target;
    this.#o.onKey?.(target.groupKey);
    this.#epochRecords = this.#o.group.slotsOf('epoch').size;
    // The room this epoch's record was published in: competing records show up there.
    const rec = fold.chain.find((r) => r.room === target.roomId);
    const parentKey = rec
      ? left && left.roomId === rec.prev
        ? left.groupKey
        : this.#keyOfRoom(rec.prev, fold.chain, this.#o.me())
      : undefined;
    if (!parentKey || deriveRoomId(parentKey) !== this.#parent?.keys.roomId) {
      await this.#stopParent();
      if (parentKey) this.#parent = await this.#openParent(deriveEpochKeys(parentKey));
    }
    const session = await this.#openSession(target);
    if (this.#closed) {
      await session.destroy();
      return;
    }
    this.#session = session;
    session.onStatus((st) => this.#status.emit(st));
    session.start();
    this.#status.emit(session.status);
  }

  async #openSession(keys: EpochKeys): Promise<SyncSession> {
    const { group, storage, mailbox, relays } = this.#o;
    const { MailboxSync, SyncSession } = await loadSync();
    const mailboxSync = new MailboxSync({
      doc: group.doc,
      keys,
      mailbox,
      storage,
      ignoreOrigins: this.#o.ignoreOrigins,
      beforeCursorCommit: this.#o.beforeCursorCommit,
      // A snapshot someone else wrote may have erased records from the log: put them back.
      snapshotLosesLocal: (snapshot) => group.missingFrom(snapshot),
      // Once this room yields a new epoch record, nothing more is taken from it until that
      // record is dealt with: a removed member's later words in the room stay there.
      haltAfter: () => {
        const n = group.slotsOf('epoch').size;
        if (n === this.#epochRecords) return false;
        this.#epochRecords = n;
        this.#halted = true;
        return true;
      },
    });
    let transport: Transport | undefined;
    try {
      transport = await this.#o.transportFor?.({ doc: group.doc, keys, relays });
    } catch {
      // Live sync could not start (its code failed to load offline, say): the mailbox must
      // still run, or changes would queue forever and nothing would ever be pulled.
      transport = undefined;
    }
    return new SyncSession({ mailboxSync, ...(transport ? { transport } : {}) });
  }

  async #openParent(keys: EpochKeys): Promise<Parent> {
    const { MailboxSync } = await loadSync();
    const never = { snapshotEvery: NEVER, snapshotWhenPending: NEVER };
    // An empty document that never changes: the drain only uploads what is already queued.
    const drain = new MailboxSync({
      doc: new Y.Doc(),
      keys,
      mailbox: this.#o.mailbox,
      storage: this.#o.storage,
      ...never,
    });
    drain.start();
    const scratch = new Y.Doc();
    const watch = new MailboxSync({
      doc: scratch,
      keys,
      mailbox: this.#o.mailbox,
      storage: new MemoryStorage(),
      ...never,
    });
    return { keys, drain, watch, scratch };
  }

  async #watchParent(): Promise<void> {
    const parent = this.#parent;
    if (!parent || this.#closed) return;
    try {
      await parent.watch.pull();
    } catch {
      return; // the relay is away: the next pull tries again
    }
    const records = this.#o.group.doc.getMap(RECORDS_MAP);
    const found: [string, unknown][] = [];
    for (const [key, value] of parent.scratch.getMap(RECORDS_MAP)) {
      const o = parseEnvelope(key, value);
      if (o && COPIED_KINDS.has(o.kind as string) && !records.has(key)) found.push([key, value]);
    }
    if (found.length === 0) return;
    this.#o.group.doc.transact(() => {
      for (const [key, value] of found) records.set(key, value);
    }, EPOCH_COPY_ORIGIN);
  }

  async #stopSession(): Promise<void> {
    const s = this.#session;
    this.#session = undefined;
    if (!s) return;
    // What was written in the epoch being left (its epoch record) goes to its room first.
    await s.flush().catch(() => undefined);
    await s.destroy();
    this.#status.emit(undefined);
  }

  async #stopParent(): Promise<void> {
    const p = this.#parent;
    this.#parent = undefined;
    if (!p) return;
    await p.drain.destroy();
    await p.watch.destroy();
    p.scratch.destroy();
  }

  #setState(next: MembershipState): void {
    if (next.kind === this.#state.kind) return;
    this.#state = next;
    this.#stateListeners.emit(next);
  }
}
