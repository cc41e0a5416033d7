// The app icon shows the number of unread items where the platform supports it (installed
// PWAs on most systems). It is a fact, not a lure: cleared at zero, never invented, and a
// platform without the Badging API or one that refuses is simply skipped.

/** The part of `navigator` the Badging API adds; both methods are optional. */
export interface BadgeHost {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

/** Shows `total` on the app icon, or clears it at zero. Never throws or rejects. */
export async function showAppBadge(
  total: number,
  host: BadgeHost | undefined = globalThis.navigator as BadgeHost | undefined,
): Promise<void> {
  if (!host) return;
  const n = Number.isFinite(total) && total > 0 ? Math.floor(total) : 0;
  try {
    if (n > 0) {
      if (typeof host.setAppBadge === 'function') await host.setAppBadge(n);
    } else if (typeof host.clearAppBadge === 'function') await host.clearAppBadge();
    else if (typeof host.setAppBadge === 'function') await host.setAppBadge(0);
  } catch {
    // Refused (no permission, not installed): the in-app counts still tell the truth.
  }
}
