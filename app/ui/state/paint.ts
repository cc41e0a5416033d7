// Work that changes nothing on screen waits until the screen has been painted: opening every
// group for the unread badges, counting what is unread, checking signatures, starting sync.
// What is not needed at once also waits for the page to be idle, so it never lands between a
// screen's first frame and the member's first tap. A screen whose main content comes in a
// later step (a note's editor: its chunk, then the note's document) holds that work back
// until the content is there (holdPaint).

/** The longest a screen's hold keeps waiting work back. */
const HOLD_MAX_MS = 3000;

let holds = 0;
const whenUnheld: (() => void)[] = [];

/**
 * Until the returned release is called (3 s at most), `afterPaintIdle` waits as if the screen
 * had not been painted yet. Releasing twice is harmless.
 */
export function holdPaint(): () => void {
  holds++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    holds--;
    if (holds === 0) for (const resolve of whenUnheld.splice(0)) resolve();
  };
}

function unheld(maxMs: number): Promise<void> {
  if (holds === 0 || maxMs <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    whenUnheld.push(resolve);
    setTimeout(resolve, maxMs);
  });
}

/**
 * Resolves just after the browser paints its next frame. A hidden tab paints nothing, so it
 * resolves after a second at most.
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 1000);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/**
 * Resolves once the page's first contentful paint has been presented (its paint timing entry
 * is out), then one more frame; after `maxMs` at most, or at once where the browser keeps no
 * paint timings. A text removed before its frame was presented does not count as painted for
 * those timings.
 */
export function firstPaintPresented(maxMs: number): Promise<void> {
  if (typeof PerformanceObserver === 'undefined') return Promise.resolve();
  if (!PerformanceObserver.supportedEntryTypes?.includes('paint')) return nextPaint();
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      void nextPaint().then(resolve);
    };
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) finish();
    });
    const timer = setTimeout(finish, maxMs);
    observer.observe({ type: 'paint', buffered: true });
  });
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: 3000 });
    else setTimeout(resolve, 200);
  });
}

/**
 * Resolves after the next paint, once the page has nothing more urgent to do (3 s at most),
 * and no screen holds it back (3 s at most more).
 */
export async function afterPaintIdle(): Promise<void> {
  const deadline = performance.now() + HOLD_MAX_MS;
  for (;;) {
    await unheld(deadline - performance.now());
    await nextPaint();
    await idle();
    // A screen that started loading meanwhile may hold it still.
    if (holds === 0 || performance.now() >= deadline) return;
  }
}
