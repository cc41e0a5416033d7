// Pinning: any member may pin or unpin a thread or post for everyone. Lists put pinned
// items first by asking `isPinned`; this feature knows no other feature's records.
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { requireLive } from '../../group/items.ts';
import type { PinRecord } from './records.ts';

/** Kinds of item that can be pinned (top-level ones). */
export const PINNABLE: ReadonlySet<string> = new Set(['thread', 'post']);

export class Pins {
  constructor(readonly group: Group) {}

  isPinned(itemId: string): boolean {
    return this.group.head<PinRecord>(`pin:${itemId}`)?.pinned === true;
  }

  /** Who pinned the item last, while it is pinned. */
  pinnedBy(itemId: string): MemberId | undefined {
    const p = this.group.head<PinRecord>(`pin:${itemId}`);
    return p?.pinned ? p.author : undefined;
  }

  /** The kernel slot of an item's pin, for `group.verify`. */
  slot(itemId: string): string {
    return `pin:${itemId}`;
  }

  /** The standing of the pin in effect on an item ('unknown' when nothing valid is there). */
  status(itemId: string): RecordStatus {
    return this.group.slotStatus(this.slot(itemId));
  }

  /** Pins or unpins a thread or post for everyone. */
  pin(me: Me, itemId: string, pinned: boolean): void {
    this.group.requireMember(me);
    const r = requireLive(this.group, itemId);
    if (!PINNABLE.has(r.kind))
      throw new GroupError('wrong-kind', 'Only threads and posts can be pinned.');
    this.group.write(me, 'pin', { itemId, pinned });
  }

  /** `ids` with the pinned ones first, each part in its original order. */
  pinnedFirstIds(ids: readonly string[]): string[] {
    return this.#pinnedFirst(ids, (id) => id);
  }

  /** `items` with the pinned ones first, each part in its original order. */
  pinnedFirst<T extends { readonly id: string }>(items: readonly T[]): T[] {
    return this.#pinnedFirst(items, (item) => item.id);
  }

  #pinnedFirst<T>(items: readonly T[], idOf: (item: T) => string): T[] {
    const pinned: T[] = [];
    const rest: T[] = [];
    for (const item of items) (this.isPinned(idOf(item)) ? pinned : rest).push(item);
    return [...pinned, ...rest];
  }
}
