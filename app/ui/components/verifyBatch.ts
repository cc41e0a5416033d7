// Cards check their own signatures when they are rendered. A window of twenty new cards
// should still make one call to the verifier, not twenty, so requests made before the screen
// is next painted are gathered into one `verify` call. Waiting for the paint matters: the first
// check sets the verifier up, and every answer re-renders what asked, so neither may hold back
// a screen's first paint (on a 10,000-thread group they held it back by most of a second).
import type { VerifyStatus } from '../../core/group/Verifier.ts';
import { afterPaintIdle } from '../state/paint.ts';

/** The part of Group this needs (so tests can pass a stand-in). */
export interface Verifiable {
  verify(ids: Iterable<string>): Promise<Map<string, VerifyStatus>>;
}

interface Pending {
  readonly waiters: Map<string, ((s: VerifyStatus | undefined) => void)[]>;
}

const pending = new WeakMap<Verifiable, Pending>();

/** After the next paint, once idle, in a browser; where nothing paints (unit tests), after this tick. */
const whenPainted = (run: () => void): void => {
  if (typeof requestAnimationFrame === 'function') void afterPaintIdle().then(run);
  else queueMicrotask(run);
};

/** The verification status of `id`, checked together with every other id asked before the paint. */
export function verifyBatched(group: Verifiable, id: string): Promise<VerifyStatus | undefined> {
  return new Promise((resolve) => {
    let batch = pending.get(group);
    if (!batch) {
      const fresh: Pending = { waiters: new Map() };
      batch = fresh;
      pending.set(group, fresh);
      whenPainted(() => {
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
