import { type Accessor, createSignal, onMount } from 'solid-js';
import { afterPaintIdle } from './paint.ts';

/**
 * False until the component's screen has been painted and the page is idle (afterPaintIdle),
 * then true: for what a screen shows or loads only after its first frame.
 */
export function usePaintedIdle(): Accessor<boolean> {
  const [painted, setPainted] = createSignal(false);
  onMount(() => void afterPaintIdle().then(() => setPainted(true)));
  return painted;
}
