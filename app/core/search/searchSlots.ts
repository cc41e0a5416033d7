// The ids a search feed walks (see SearchFeed): kept apart from the feed so the start path,
// which builds every GroupHandle, carries only this.
import { FEATURE_KINDS } from '../features/registry.ts';
import type { Group } from '../group/Group.ts';

/** Every slot that may hold a searchable item: those of every feature kind, once each. */
export function searchSlots(group: Group): string[] {
  const out = new Set<string>();
  for (const k of FEATURE_KINDS) for (const slot of group.slotsOf(k.kind)) out.add(slot);
  return [...out];
}
