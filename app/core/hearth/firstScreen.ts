// What a group's first screens show (its thread list, and its most active threads with their
// first replies), remembered on this device so the next start can paint them before the
// group's document is applied and folded: a 10,000-thread group spends most of its start in
// Yjs's apply and the fold. It is the device's own output, not new input: views the fold built
// from signed records, with the signature checks this device made (only what it checked is
// 'valid'; anything else is shown as still being checked). It is sealed like the document's
// rows, under the same store key, and names the stored state it was built from
// (storedBasis): when the document's rows are not exactly those, it is thrown away unread.
// The real fold replaces it as soon as the document is open.
import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import type { GroupId } from '../crypto/keys.ts';
import type { LocalSealer } from '../crypto/localSealed.ts';
import type { ReplyView, ThreadView } from '../features/discussion/Discussion.ts';
import type { GroupFeatures } from '../features/registry.ts';
import type { Group } from '../group/Group.ts';

export const FIRST_SCREEN_VERSION = 1;
/** Rows of the thread list (its first page). */
export const FIRST_SCREEN_THREADS = 50;
/** Threads (from the top of the list) whose opening screen is kept too. */
export const FIRST_SCREEN_OPEN_THREADS = 3;
/** Replies kept of each of those (a thread opens with 20 cards). */
export const FIRST_SCREEN_REPLIES = 20;

export interface ThreadPreview {
  readonly thread: ThreadView;
  /** Its first replies, in the thread's order. */
  readonly replies: readonly ReplyView[];
}

/** A group's first screens as this device last showed them. */
export interface FirstScreen {
  readonly name: string;
  /** How many threads the whole list holds. */
  readonly threadCount: number;
  /** The first page of the thread list, pinned first, as the list orders it. */
  readonly threads: readonly ThreadView[];
  /** Which of those are pinned. */
  readonly pinned: readonly string[];
  /** Opening screens of the threads at the top of the list, by thread id. */
  readonly open: Readonly<Record<string, ThreadPreview>>;
  /** Items an admin hid, with the admin's name: their text is not kept. */
  readonly hidden: Readonly<Record<string, string>>;
}

interface Stored {
  readonly v: number;
  readonly groupId: string;
  readonly basis: string;
  readonly screen: FirstScreen;
}

/**
 * Builds the first screens from the open group. The records shown are checked first (through
 * the group's verifier, which remembers answers), so what is kept says 'valid' only for what
 * this device checked.
 */
export async function buildFirstScreen(
  group: Group,
  features: GroupFeatures,
): Promise<FirstScreen> {
  const { discussion, pins, membership } = features;
  const hidden: Record<string, string> = {};
  const keep = <V extends ThreadView | ReplyView>(view: V): V => {
    const by = membership.hiddenBy(view.id);
    if (by === undefined) return view;
    hidden[view.id] = group.memberName(by) ?? 'an admin';
    return { ...view, body: '', mentions: [] };
  };
  const ids = pins.pinnedFirstIds(discussion.threadIds());
  const page = ids.slice(0, FIRST_SCREEN_THREADS);
  const opened = page.slice(0, FIRST_SCREEN_OPEN_THREADS);
  const replyIds = opened.flatMap((t) =>
    discussion
      .replies(t)
      .slice(0, FIRST_SCREEN_REPLIES)
      .map((r) => r.id),
  );
  await group.verify([...page, ...replyIds]);
  const open: Record<string, ThreadPreview> = {};
  for (const id of opened) {
    const thread = discussion.thread(id);
    if (thread) {
      const replies = discussion.replies(id).slice(0, FIRST_SCREEN_REPLIES);
      open[id] = { thread: keep(thread), replies: replies.map(keep) };
    }
  }
  return {
    name: group.info().name,
    threadCount: ids.length,
    threads: page.flatMap((id) => discussion.thread(id) ?? []).map(keep),
    pinned: page.filter((id) => pins.isPinned(id)),
    open,
    hidden,
  };
}

/** Seals `screen` for this device, naming the group and the stored state it was built from. */
export function sealFirstScreen(
  sealer: LocalSealer,
  groupId: GroupId,
  basis: string,
  screen: FirstScreen,
): Promise<Uint8Array> {
  const stored: Stored = { v: FIRST_SCREEN_VERSION, groupId, basis, screen };
  return sealer.seal(utf8(JSON.stringify(stored)));
}

/**
 * Opens a kept first screen, or answers undefined when it does not open under this key
 * (tampered, another key), names another group or another stored state, has another
 * version, or is not shaped like one.
 */
export async function openFirstScreen(
  sealer: LocalSealer,
  groupId: GroupId,
  basis: string,
  sealed: Uint8Array,
): Promise<FirstScreen | undefined> {
  let stored: unknown;
  try {
    stored = JSON.parse(fromUtf8(await sealer.open(sealed)));
  } catch {
    return undefined;
  }
  if (!isObject(stored)) return undefined;
  const { v, groupId: forGroup, basis: builtOn, screen } = stored;
  if (v !== FIRST_SCREEN_VERSION || forGroup !== groupId || builtOn !== basis) return undefined;
  return isFirstScreen(screen) ? screen : undefined;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const isView = (x: unknown): boolean =>
  isObject(x) &&
  typeof x.id === 'string' &&
  typeof x.body === 'string' &&
  typeof x.createdAt === 'number' &&
  typeof x.status === 'string' &&
  Array.isArray(x.mentions);

const isThread = (x: unknown): x is ThreadView =>
  isView(x) && typeof (x as { title?: unknown }).title === 'string';

function isFirstScreen(x: unknown): x is FirstScreen {
  if (!isObject(x)) return false;
  const { name, threadCount, threads, pinned, open, hidden } = x;
  return (
    typeof name === 'string' &&
    typeof threadCount === 'number' &&
    Array.isArray(threads) &&
    threads.every(isThread) &&
    Array.isArray(pinned) &&
    pinned.every((p) => typeof p === 'string') &&
    isObject(hidden) &&
    Object.values(hidden).every((n) => typeof n === 'string') &&
    isObject(open) &&
    Object.values(open).every(
      (p) =>
        isObject(p) && isThread(p.thread) && Array.isArray(p.replies) && p.replies.every(isView),
    )
  );
}
