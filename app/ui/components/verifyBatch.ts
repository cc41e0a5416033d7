// Cards check their own signatures when they are rendered. A window of twenty new cards
// should still make one call to the verifier, not twenty, so requests made in the same tick
// are gathered into one `verify` call.
import type { VerifyStatus } from '../../core/group/Verifier.ts';

/** The part of Group this needs (so tests can pass a stand-in). */
export interface Verifiable {
  verify(ids: Iterable<string>): Promise<Map<string, VerifyStatus>>;
}

interface Pending {
  readonly waiters: Map<string, ((s: VerifyStatus | undefined) => void)[]>;
}

const pending = new WeakMap<Verifiable, Pending>();

/** The verification status of `id`, checked together with every other id asked for this tick. */
export function verifyBatched(group: Verifiable, id: string): Promise<VerifyStatus | undefined> {
  return new Promise((resolve) => {
    let batch = pending.get(group);
    if (!batch) {
      const fresh: Pending = { waiters: new Map() };
      batch = fresh;
      pending.set(group, fresh);
      queueMicrotask(() => {
        pending.delete(group);
        const ids = [...fresh.waiters.keys()];
        const settle = (get: (id: string) => VerifyStatus | undefined) => {
          for (const [key, list] of fresh.waiters) for (const done of list) done(get(key));
        };
        group.verify(ids).then(
          (result) => settle((key) => result.get(key)),
          () => settle(() => undefined),
        );
      });
    }
    const list = batch.waiters.get(id) ?? [];
    list.push(resolve);
    batch.waiters.set(id, list);
  });
}
