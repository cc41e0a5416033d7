// Autocomplete for `@` in the composer: which members match what has been typed so far.
import type { Group } from './Group.ts';
import type { MemberView } from './members.ts';

/**
 * Members whose name, or a word in it, starts with `prefix` (case-insensitive), names that
 * start with it first, then alphabetical; at most `limit`.
 */
export function mentionCandidates(group: Group, prefix: string, limit = 8): MemberView[] {
  const p = prefix.replace(/^@/, '').trim().toLowerCase();
  const scored: { m: MemberView; rank: number }[] = [];
  for (const m of group.members()) {
    const name = m.name.toLowerCase();
    if (name.startsWith(p)) scored.push({ m, rank: 0 });
    else if (name.split(/\s+/).some((w) => w.startsWith(p))) scored.push({ m, rank: 1 });
  }
  return scored
    .sort((a, b) => a.rank - b.rank || a.m.name.localeCompare(b.m.name))
    .slice(0, limit)
    .map((x) => x.m);
}
