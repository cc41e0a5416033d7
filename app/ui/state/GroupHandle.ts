// What a screen gets for one group: the group's views (info, members), the features' reads,
// actions already bound to the member using the app, sync status, drafts, and whether each
// record on screen is checked. Never keys, the store or the Y.Doc: a screen cannot do more
// than a member can.
import { type Accessor, createSignal } from 'solid-js';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Drafts } from '../../core/drafts/Drafts.ts';
import type { SearchDoc } from '../../core/features/Feature.ts';
import { creatorOf } from '../../core/features/origin/Origin.ts';
import { featureList, type GroupFeatures } from '../../core/features/registry.ts';
import {
  type ActivityEntry,
  type AwaitingEntry,
  awaitingAcross,
  type GroupUnread,
  groupUnread,
  recentActivity,
} from '../../core/features/unread.ts';
import type { GroupChange, Me, RecordStatus } from '../../core/group/Group.ts';
import { GroupError } from '../../core/group/GroupError.ts';
import { type GroupInfo, type MemberView, memberSlot } from '../../core/group/members.ts';
import { mentionCandidates } from '../../core/group/mentionCandidates.ts';
import type { ReadMarker } from '../../core/group/PersonalState.ts';
import type { GroupRuntime, Hearth } from '../../core/hearth/Hearth.ts';
import type { PresenceView } from '../../core/presence/GroupPresence.ts';
import { searchSlots } from '../../core/search/searchSlots.ts';
import type { SyncStatus } from '../../core/sync/syncStatus.ts';
import type { MentionTarget } from '../../core/text/mentions.ts';
import { verifyBatched } from '../components/verifyBatch.ts';

/** Names of a facade's methods that take the writer first: its actions. */
export type Actions<F> = {
  [K in keyof F]-?: F[K] extends (...args: infer A) => unknown
    ? A extends [Me, ...unknown[]]
      ? K
      : never
    : never;
}[keyof F] &
  string;

/** A feature facade as screens see it: its methods, with actions bound to the member. */
export type Bound<F> = {
  readonly [K in keyof F as F[K] extends (...args: never[]) => unknown
    ? K
    : never]: K extends Actions<F>
    ? F[K] extends (me: Me, ...rest: infer R) => infer T
      ? (...rest: R) => T
      : never
    : F[K];
};

/**
 * Lists a facade's actions, all of them: `actionList<Discussion>()('startThread', …)`. A list
 * that misses one does not compile, so a new action cannot reach screens unbound.
 */
export function actionList<F>() {
  return <const A extends readonly Actions<F>[]>(
    ...names: A
  ): [Exclude<Actions<F>, A[number]>] extends [never]
    ? A
    : { readonly missing: Exclude<Actions<F>, A[number]> } => names as never;
}

/** Which methods of each feature facade are actions (from each UI feature's folder). */
export type ActionLists = {
  readonly [K in keyof GroupFeatures]: readonly Actions<GroupFeatures[K]>[];
};

/**
 * What a member should make of a record on screen. 'checking' never looks genuine;
 * 'unverifiable' is a check that could not run (it is tried again on the next change).
 */
export type Trust = 'checking' | 'valid' | 'forged' | 'not-a-member' | 'unverifiable';

export const isSuspect = (t: Trust): boolean => t === 'forged' || t === 'not-a-member';

/** Every feature of the core registry, as screens see it: `handle.discussion.reply(…)`. */
export type BoundFeatures = { readonly [K in keyof GroupFeatures]: Bound<GroupFeatures[K]> };

export interface GroupHandle extends BoundFeatures {
  readonly id: string;
  /** Moves on every change to the group and whenever checks of what is on screen finish. */
  readonly version: Accessor<number>;
  /** Who else is online now, and when this device last saw each member (never stored in the group). */
  readonly presence: Accessor<PresenceView>;
  /** Live, relayed, waiting or offline; undefined until sync has started. */
  readonly syncStatus: Accessor<SyncStatus | undefined>;
  /** Calls `cb` on every change `version` reports; returns the unsubscribe function. */
  onUpdate(cb: () => void): () => void;
  /** Calls `cb` with each change to the group (which items, kinds, members). */
  onChange(cb: (change: GroupChange) => void): () => void;

  /** The group's name: its signed name, or the one on the invite until that arrives. */
  name(): string;
  info(): GroupInfo;
  /** Who invited this member, as the invite said (before their member record arrives). */
  readonly inviterName: string | undefined;
  members(): MemberView[];
  member(id: string): MemberView | undefined;
  /** The standing of a member's record. */
  memberStatus(id: string): RecordStatus;
  /** The members an item mentions, with their current names, for the markdown renderer. */
  mentionTargets(item: { readonly mentions: readonly string[] }): MentionTarget[];
  /** Members whose name starts with what is typed after `@`. */
  mentionCandidates(prefix: string, limit?: number): MemberView[];

  /**
   * What to show for the record in `slot` (an item id, a member id, a pin slot…) whose view
   * says `status`. Asking for a record that is still being checked starts its check (batched
   * with everything else on screen); `version` moves when the answer is in.
   */
  trust(slot: string, status: RecordStatus): Trust;

  /** This member's unread counts in the group (zero before set-up). */
  unread(): GroupUnread;
  /** Every feature's searchable documents (see Feature.searchable): all, or those of `ids`. */
  searchDocs(ids?: ReadonlySet<string>): SearchDoc[];
  /** Every slot that may hold a searchable item, for gathering documents in slices. */
  searchSlots(): readonly string[];
  /** Where this member stopped reading a thread or post (kept privately on this device). */
  readMarker(parentId: string): ReadMarker | undefined;
  /** Records reading a thread or post up to the item created at `at`. */
  markRead(parentId: string, at: number, lastId?: string): Promise<void>;

  readonly drafts: Drafts;
  /**
   * A note's text, loaded from this device and syncing with the note's own rooms. The text
   * is collaborative (anyone in the note may change any of it); what members vouch for is
   * in the signed revision records (`notes.recordRevision`).
   */
  openNote(noteId: string): Promise<NoteSession>;
  /** The member's id, or undefined before set-up. */
  me(): string | undefined;
}

/** One open note as a screen sees it: its text, who else is in it, its sync. */
export interface NoteSession {
  readonly text: Y.Text;
  /** Cursors and names of the members editing it now (only live peers see them). */
  readonly awareness: Awareness;
  /** Undefined until its sync has started. */
  status(): SyncStatus | undefined;
  onStatus(cb: (s: SyncStatus) => void): () => void;
  /** Stores the text on this device and uploads it, now. */
  save(): Promise<void>;
}

const NO_UNREAD: GroupUnread = { total: 0, byTab: new Map(), byParent: new Map() };

/** A facade's methods as a plain object, actions bound to `me()` (read at call time). */
export function bindFacade<F extends object>(
  facade: F,
  actions: readonly string[],
  me: () => Me,
): Bound<F> {
  const out: Record<string, unknown> = {};
  const acts = new Set(actions);
  for (
    let proto = Object.getPrototypeOf(facade);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key in out) continue;
      const fn = (facade as Record<string, unknown>)[key];
      if (typeof fn !== 'function') continue;
      out[key] = acts.has(key)
        ? (...args: unknown[]) => fn.call(facade, me(), ...args)
        : (...args: unknown[]) => fn.apply(facade, args);
    }
  }
  for (const a of actions) {
    if (!(a in out)) throw new Error(`${facade.constructor.name} has no action ${a}`);
  }
  return out as Bound<F>;
}

/** Builds the handle of one open group. One per runtime: see GroupHandles. */
export function createGroupHandle(
  hearth: Hearth,
  rt: GroupRuntime,
  actions: ActionLists,
): GroupHandle {
  const group = rt.group;
  const [version, setVersion] = createSignal(0);
  const [syncStatus, setSyncStatus] = createSignal<SyncStatus | undefined>(rt.status, {
    equals: false,
  });
  const updates = new Set<() => void>();
  const bump = (): void => {
    setVersion((v) => v + 1);
    for (const cb of [...updates]) cb();
  };
  // Runtimes live as long as the app, and so do these two listeners.
  let changes = 0;
  group.onChange(() => {
    changes++;
    bump();
  });
  rt.onStatus((s) => setSyncStatus(s));
  const [presence, setPresence] = createSignal(rt.presence.view, { equals: false });
  rt.presence.onChange(setPresence);

  // Checks of records on screen: one per record per change of the group, batched by tick.
  const pending = new Set<string>();
  const requested = new Map<string, number>();
  const failed = new Set<string>();
  let scheduled = false;
  const check = (slot: string): void => {
    if (pending.has(slot) || requested.get(slot) === changes) return;
    requested.set(slot, changes);
    pending.add(slot);
    void verifyBatched(group, slot).then((result) => {
      pending.delete(slot);
      if (result === undefined) failed.add(slot);
      else failed.delete(slot);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          bump();
        });
      }
    });
  };

  // A member who was removed, left, or was left behind by a new key writes nothing more here:
  // every action is refused in plain words before it signs anything (the screens say why).
  const me = (): Me => {
    const state = hearth.membershipOf?.(rt.entry.groupId);
    if (state && state.kind !== 'member') {
      throw new GroupError(
        'removed',
        state.kind === 'left'
          ? 'You left this group, so you cannot write here any more.'
          : 'You are no longer a member of this group, so you cannot write here.',
      );
    }
    return hearth.me;
  };
  const features = Object.fromEntries(
    Object.entries(rt.features).map(([key, facade]) => [
      key,
      bindFacade(facade as object, actions[key as keyof GroupFeatures] ?? [], me),
    ]),
  ) as unknown as BoundFeatures;

  return {
    id: rt.entry.groupId,
    version,
    syncStatus,
    presence,
    onUpdate(cb) {
      updates.add(cb);
      return () => updates.delete(cb);
    },
    onChange: (cb) => group.onChange(cb),
    name: () => {
      const info = group.info();
      return info.createdBy !== undefined ? info.name : rt.entry.name;
    },
    // Who made the group comes from its origin record where the id proves it (creatorOf).
    info: () => ({ ...group.info(), createdBy: creatorOf(group) }),
    inviterName: rt.entry.inviterName,
    members: () => group.members(),
    member: (id) => group.member(id),
    memberStatus: (id) => group.slotStatus(memberSlot(id)),
    mentionTargets(item) {
      const out: MentionTarget[] = [];
      for (const id of item.mentions) {
        const m = group.member(id);
        if (m) out.push({ id, name: m.name });
      }
      return out;
    },
    mentionCandidates: (prefix, limit = 6) => mentionCandidates(group, prefix, limit),
    trust(slot, status) {
      version();
      if (status !== 'checking') return status === 'unknown' ? 'unverifiable' : status;
      check(slot);
      return failed.has(slot) ? 'unverifiable' : 'checking';
    },
    readMarker: (parentId) => hearth.personal?.get(rt.entry.groupId, parentId),
    markRead: (parentId, at, lastId) => hearth.markRead(rt.entry.groupId, parentId, at, lastId),
    unread() {
      const personal = hearth.personal;
      if (!personal) return NO_UNREAD;
      return groupUnread(group, featureList(rt.features), personal, hearth.identity?.id);
    },
    searchDocs: (ids) => featureList(rt.features).flatMap((f) => f.searchable?.(ids) ?? []),
    searchSlots: () => searchSlots(group),
    ...features,
    drafts: rt.drafts,
    openNote: (noteId) =>
      rt.notes.open(noteId).then((n) => ({
        text: n.text,
        awareness: n.awareness,
        status: () => n.status,
        onStatus: (cb) => n.onStatus(cb),
        save: () => n.flush(),
      })),
    me: () => hearth.identity?.id,
  };
}

/**
 * The handles of one Hearth's groups, made once per group and kept: a screen that opens a
 * group already open gets its handle at once, with nothing to wait for.
 */
export class GroupHandles {
  readonly #ready = new Map<string, GroupHandle>();
  readonly #runtimes = new Map<string, GroupRuntime>();
  readonly #opening = new Map<string, Promise<GroupHandle>>();

  constructor(
    readonly hearth: Hearth,
    readonly actions: ActionLists,
  ) {}

  /** The handle if the group is already open on this page. */
  peek(groupId: string): GroupHandle | undefined {
    return this.#ready.get(groupId);
  }

  /** Opens the group; null when this device is not in it. */
  open(groupId: string): GroupHandle | Promise<GroupHandle | null> | null {
    const ready = this.#ready.get(groupId);
    if (ready) return ready;
    if (!this.hearth.entry(groupId)) return null;
    let opening = this.#opening.get(groupId);
    if (!opening) {
      opening = this.hearth.open(groupId).then((rt) => {
        const handle = createGroupHandle(this.hearth, rt, this.actions);
        this.#ready.set(groupId, handle);
        this.#runtimes.set(groupId, rt);
        return handle;
      });
      opening.catch(() => this.#opening.delete(groupId));
      this.#opening.set(groupId, opening);
    }
    return opening;
  }

  /** Every group on this device, opened; a group that fails to open is left out. */
  async all(): Promise<GroupHandle[]> {
    const settled = await Promise.allSettled(
      this.hearth.groups().map((g) => Promise.resolve(this.open(g.groupId))),
    );
    return settled.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  }

  /** The newest items across the open groups among `handles`, newest first (the home feed). */
  activity(handles: readonly GroupHandle[], limit: number): ActivityEntry[] {
    return recentActivity(this.#sources(handles), limit);
  }

  /** What waits for this member's answer across the open groups among `handles`. */
  awaiting(handles: readonly GroupHandle[]): AwaitingEntry[] {
    const me = this.hearth.identity?.id;
    return me ? awaitingAcross(this.#sources(handles), me) : [];
  }

  #sources(handles: readonly GroupHandle[]) {
    return handles.flatMap((h) => {
      const rt = this.#runtimes.get(h.id);
      return rt ? [{ group: rt.group, features: featureList(rt.features) }] : [];
    });
  }
}
