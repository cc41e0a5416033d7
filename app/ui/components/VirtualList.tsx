// Long conversations render only a window of their items (see renderWindow.ts): the window
// opens at the first unread item or at the end, grows as the reader nears an edge, trims the
// far side, and jumps to an item on request. Page scroll stays the browser's own.
import {
  createEffect,
  createMemo,
  createSignal,
  For,
  type JSX,
  on,
  onCleanup,
  onMount,
  Show,
  untrack,
} from 'solid-js';
import {
  DEFAULT_SIZES,
  followTotal,
  growAfter,
  growBefore,
  openRange,
  type RenderRange,
  rangeIncluding,
  type WindowSizes,
} from './renderWindow.ts';

export interface VirtualListControl {
  /** Renders the item if needed, scrolls it into view and focuses it. */
  reveal(id: string): void;
  /** Shows the newest items and scrolls to the end of the page. */
  toEnd(): void;
}

export interface VirtualListProps<T extends { readonly id: string }> {
  readonly items: readonly T[];
  /** Accessible name of the list. */
  readonly label: string;
  /** Plural noun for the "show more" buttons ("replies"). */
  readonly noun: string;
  /** Index to open at (the first unread item); read once, when the list first has items. */
  readonly openAt?: () => number | undefined;
  /** DOM id of an item's element, for scrolling and focus. */
  readonly elementId: (id: string) => string;
  readonly children: (item: T, index: () => number) => JSX.Element;
  readonly control?: (c: VirtualListControl) => void;
  readonly onRangeChange?: (range: RenderRange) => void;
  readonly sizes?: WindowSizes;
}

const NEAR_BOTTOM_PX = 120;
const nativeAnchoring = (): boolean =>
  typeof CSS !== 'undefined' && CSS.supports('overflow-anchor', 'auto');
const nearBottom = (): boolean =>
  window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - NEAR_BOTTOM_PX;

export function VirtualList<T extends { readonly id: string }>(props: VirtualListProps<T>) {
  const sizes = () => props.sizes ?? DEFAULT_SIZES;
  const [range, setRange] = createSignal<RenderRange>({ start: 0, end: 0 });
  const [opened, setOpened] = createSignal(false);
  // Follow the end (new items, late layout) while the reader is at the bottom.
  let stickToBottom = false;
  let listEl: HTMLOListElement | undefined;
  let topSentinel: HTMLButtonElement | undefined;
  let bottomSentinel: HTMLButtonElement | undefined;

  const scrollToBottom = () => {
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
  };

  // Where native scroll anchoring is missing (older Safari), keep the first visible item in
  // place by hand when items are added or trimmed above it.
  const withAnchor = (change: () => void) => {
    if (nativeAnchoring() || !listEl) {
      change();
      return;
    }
    const anchor = [...listEl.children].find((el) => el.getBoundingClientRect().bottom > 0);
    const before = anchor?.getBoundingClientRect().top;
    change();
    if (anchor?.isConnected && before !== undefined) {
      const delta = anchor.getBoundingClientRect().top - before;
      if (delta !== 0) window.scrollBy(0, delta);
    }
  };

  const visible = createMemo(() => {
    const r = range();
    return props.items.slice(r.start, r.end);
  });

  // Open once the list first has items (or at mount when it is empty).
  let previousTotal = 0;
  createEffect(
    on(
      () => props.items.length,
      (total) => {
        if (!untrack(opened)) {
          const anchor = props.openAt?.();
          setRange(openRange(total, anchor, sizes()));
          previousTotal = total;
          setOpened(true);
          queueMicrotask(() => position(anchor));
          return;
        }
        const wasBottom = stickToBottom;
        withAnchor(() => setRange((r) => followTotal(r, previousTotal, total, sizes())));
        previousTotal = total;
        if (wasBottom) queueMicrotask(scrollToBottom);
      },
    ),
  );

  const position = (anchor: number | undefined) => {
    const item = anchor === undefined ? undefined : props.items[anchor];
    if (!item || anchor === 0) {
      if (item) window.scrollTo({ top: 0, behavior: 'instant' });
      else {
        stickToBottom = true;
        scrollToBottom();
      }
    } else {
      document.getElementById(props.elementId(item.id))?.scrollIntoView({ block: 'start' });
    }
    enableObservers();
  };

  createEffect(() => props.onRangeChange?.(range()));

  const reveal = (id: string) => {
    const index = props.items.findIndex((x) => x.id === id);
    if (index < 0) return;
    stickToBottom = false;
    setRange((r) => rangeIncluding(r, index, props.items.length, sizes()));
    const el = document.getElementById(props.elementId(id));
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  };
  const toEnd = () => {
    const total = props.items.length;
    setRange((r) => (r.end >= total ? r : openRange(total, undefined, sizes())));
    stickToBottom = true;
    scrollToBottom();
  };
  props.control?.({ reveal, toEnd });

  const showEarlier = () => withAnchor(() => setRange((r) => growBefore(r, sizes())));
  const showNewer = () =>
    withAnchor(() => setRange((r) => growAfter(r, props.items.length, sizes())));

  // Edges load more on their own as they come near; the buttons stay for keyboards.
  let observer: IntersectionObserver | undefined;
  const enableObservers = () => {
    if (observer || typeof IntersectionObserver === 'undefined') return;
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          if (e.target === topSentinel && range().start > 0) showEarlier();
          if (e.target === bottomSentinel && range().end < props.items.length) showNewer();
        }
      },
      { rootMargin: '600px 0px' },
    );
    if (topSentinel) observer.observe(topSentinel);
    if (bottomSentinel) observer.observe(bottomSentinel);
  };
  // The sentinels come and go with the range; observe whichever exist.
  createEffect(
    on(range, () => {
      if (!observer) return;
      observer.disconnect();
      if (topSentinel?.isConnected) observer.observe(topSentinel);
      if (bottomSentinel?.isConnected) observer.observe(bottomSentinel);
    }),
  );

  onMount(() => {
    const onScroll = () => {
      stickToBottom = nearBottom() && range().end >= props.items.length;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    // Late layout (markdown arriving, images, edits) keeps the end in view while following.
    const resize = new ResizeObserver(() => {
      if (stickToBottom) scrollToBottom();
    });
    if (listEl) resize.observe(listEl);
    onCleanup(() => {
      window.removeEventListener('scroll', onScroll);
      resize.disconnect();
      observer?.disconnect();
    });
  });

  return (
    <>
      <Show when={range().start > 0}>
        <button type="button" class="quiet show-more" ref={topSentinel} onClick={showEarlier}>
          Show earlier {props.noun} ({range().start} more)
        </button>
      </Show>
      <ol class="list virtual-list" aria-label={props.label} ref={listEl}>
        <For each={visible()}>
          {(item, i) => <li>{props.children(item, () => range().start + i())}</li>}
        </For>
      </ol>
      <Show when={range().end < props.items.length}>
        <div class="actions">
          <button type="button" class="quiet show-more" ref={bottomSentinel} onClick={showNewer}>
            Show newer {props.noun} ({props.items.length - range().end} more)
          </button>
          <button type="button" class="quiet" onClick={toEnd}>
            Go to the newest
          </button>
        </div>
      </Show>
    </>
  );
}
