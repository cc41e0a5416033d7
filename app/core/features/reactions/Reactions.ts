// Emoji reactions on any item. A facade over the kernel: who reacted with what comes only
// from the newest version of each member's own reaction record.
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { requireLive } from '../../group/items.ts';
import { EMOJI, type Emoji, isEmoji, type ReactionRecord } from './records.ts';

export class Reactions {
  constructor(readonly group: Group) {}

  /** Who reacted with what, in the fixed emoji order; records known to be invalid are left out. */
  on(itemId: string, onlyValid = false): Map<Emoji, MemberId[]> {
    const found = new Map<Emoji, { id: MemberId; at: number }[]>();
    for (const slot of this.group.childrenOf(itemId)) {
      const r = this.group.head<ReactionRecord>(slot);
      if (r?.kind !== 'reaction' || !r.on) continue;
      if (onlyValid && this.group.status(r) !== 'valid') continue;
      const list = found.get(r.emoji) ?? [];
      list.push({ id: r.author, at: this.group.time(r) });
      found.set(r.emoji, list);
    }
    const out = new Map<Emoji, MemberId[]>();
    for (const emoji of EMOJI) {
      const list = found.get(emoji);
      if (list)
        out.set(
          emoji,
          list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((x) => x.id),
        );
    }
    return out;
  }

  /** Like `on`, after checking the signatures: only reactions validly signed by members. */
  async verified(itemId: string): Promise<Map<Emoji, MemberId[]>> {
    const slots = [...this.group.childrenOf(itemId)].filter((s) => s.startsWith('reaction:'));
    await this.group.verify(slots);
    return this.on(itemId, true);
  }

  /** Adds the caller's reaction. Only 👍 ❤️ 😂 🎉 🤔 👀 are accepted. */
  react(me: Me, itemId: string, emoji: string): void {
    this.#set(me, itemId, emoji, true);
  }

  /** Withdraws the caller's reaction. */
  unreact(me: Me, itemId: string, emoji: string): void {
    this.#set(me, itemId, emoji, false);
  }

  #set(me: Me, itemId: string, emoji: string, on: boolean): void {
    this.group.requireMember(me);
    const e = emoji === '❤' ? '❤️' : emoji;
    if (!isEmoji(e))
      throw new GroupError('bad-emoji', `Reactions are limited to ${EMOJI.join(' ')}.`);
    requireLive(this.group, itemId);
    this.group.write(me, 'reaction', { itemId, emoji: e, on });
  }
}
