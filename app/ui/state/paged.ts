// Long lists (a group of 10,000 threads) render a page at a time with an honest "Show more"
// button instead of every row at once or an endless scroll.
import { type Accessor, createMemo, createSignal } from 'solid-js';

export const PAGE_SIZE = 50;

export function usePaged<T>(list: Accessor<readonly T[]>, step = PAGE_SIZE) {
  const [limit, setLimit] = createSignal(step);
  const visible = createMemo(() => list().slice(0, limit()));
  const remaining = () => Math.max(0, list().length - limit());
  return { visible, remaining, more: () => setLimit((n) => n + step), step };
}
