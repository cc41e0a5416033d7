// Work that changes nothing on screen waits until the screen has been painted: opening every
// group for the unread badges, counting what is unread, checking signatures, starting sync.
// What is not needed at once also waits for the page to be idle, so it never lands between a
// screen's first frame and the member's first tap.

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

/** Resolves after the next paint, once the page has nothing more urgent to do (3 s at most). */
export function afterPaintIdle(): Promise<void> {
  return nextPaint().then(
    () =>
      new Promise((resolve) => {
        if ('requestIdleCallback' in window)
          requestIdleCallback(() => resolve(), { timeout: 3000 });
        else setTimeout(resolve, 200);
      }),
  );
}
