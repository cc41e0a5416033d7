// What the features' unit tests share: a small group of two members, and the code a write
// was refused with.
import { Group } from '../group/Group.ts';
import { GroupError, type GroupErrorCode } from '../group/GroupError.ts';
import type { Identity } from '../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from './registry.ts';

/** A group `a` created and `b` joined, on a clock that moves 10 ms per read. */
export function groupOfTwo(a: Identity, b: Identity) {
  let t = 1_000_000;
  const group = Group.create({ name: 'G', me: a, clock: () => (t += 10), kinds: FEATURE_KINDS });
  group.join(b);
  return { group, ...featuresOf(group) };
}

/** 'ok', or the code of the GroupError `f` threw (anything else is rethrown). */
export function codeOf(f: () => unknown): GroupErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof GroupError) return e.code;
    throw e;
  }
}
