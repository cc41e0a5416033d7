// Unread counts are facts the member's own device works out: the group documents say what
// exists, the private PersonalState says what this member has read. Nothing here writes to
// a group; these helpers only combine the two and tell Solid when either has moved.
import { type Accessor, createEffect, createResource, createSignal, onCleanup } from 'solid-js';
import type { MemberId } from '../../core/crypto/keys.ts';
import type { Group } from '../../core/group/Group.ts';
import { type PersonalState, unreadCount } from '../../core/group/ReadState.ts';
import type { GroupRuntime } from '../../core/hearth/Hearth.ts';
import { showAppBadge } from './badge.ts';
import { useHearth, useHearthVersion } from './hearthContext.ts';

export interface TabUnread {
  /** Unread replies and new threads, over all threads. */
  readonly threads: number;
  /** Unread comments and new posts, over all posts. */
  readonly posts: number;
  readonly total: number;
  /** Per thread or post id, only where something is unread. */
  readonly byParent: ReadonlyMap<string, number>;
}

const NONE: TabUnread = { threads: 0, posts: 0, total: 0, byParent: new Map() };

/** Unread counts of one group, split by the group's tabs. */
export function unreadByTab(
  group: Group,
  personal: PersonalState | null,
  me: MemberId | undefined,
): TabUnread {
  if (!personal) return NONE;
  const byParent = new Map<string, number>();
  const sum = (parents: readonly { id: string }[]): number => {
    let total = 0;
    for (const p of parents) {
      const n = unreadCount(group, p.id, personal.get(group.id, p.id), me);
      if (n > 0) {
        byParent.set(p.id, n);
        total += n;
      }
    }
    return total;
  };
  const threads = sum(group.threads());
  const posts = sum(group.posts());
  return { threads, posts, total: threads + posts, byParent };
}

/** A counter that moves whenever this member's read markers change (on any screen). */
export function usePersonalVersion(): Accessor<number> {
  const hearth = useHearth();
  const hearthVersion = useHearthVersion();
  const [version, setVersion] = createSignal(0);
  createEffect(() => {
    hearthVersion();
    const personal = hearth.personal;
    if (!personal) return;
    onCleanup(personal.onChange(() => setVersion((v) => v + 1)));
  });
  return version;
}

/**
 * Every group on this device, opened, with one counter that moves when any of them (or the
 * read markers) change. Bursts of changes during a sync are folded into one update.
 */
export function useAllGroups(): { runtimes: Accessor<GroupRuntime[]>; version: Accessor<number> } {
  const hearth = useHearth();
  const hearthVersion = useHearthVersion();
  const personalVersion = usePersonalVersion();
  const [tick, setTick] = createSignal(0);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const bump = (): void => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      setTick((v) => v + 1);
    }, 50);
  };
  onCleanup(() => clearTimeout(pending));
  // A group that fails to open is left out here; its own screen explains the failure.
  const [opened] = createResource(
    () => hearthVersion() + 1,
    async () => {
      const settled = await Promise.allSettled(hearth.groups().map((g) => hearth.open(g.groupId)));
      return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    },
  );
  createEffect(() => {
    const list = opened() ?? [];
    const offs = list.map((rt) => rt.group.onChange(bump));
    onCleanup(() => {
      for (const off of offs) off();
    });
  });
  const runtimes = (): GroupRuntime[] => opened.latest ?? [];
  const version = (): number => tick() + personalVersion() + runtimes().length;
  return { runtimes, version };
}

/** Keeps the app icon's badge equal to the total unread across all groups. */
export function useAppBadge(): void {
  const hearth = useHearth();
  const { runtimes, version } = useAllGroups();
  createEffect(() => {
    version();
    const me = hearth.identity?.id;
    let total = 0;
    for (const rt of runtimes()) total += unreadByTab(rt.group, hearth.personal, me).total;
    void showAppBadge(total);
  });
}
