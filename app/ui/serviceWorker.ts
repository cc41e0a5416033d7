// Registers the generated service worker (offline app shell). A new version waits until the
// person chooses to reload, so an update never interrupts someone writing.

import { registerSW } from 'virtual:pwa-register';
import { createSignal } from 'solid-js';
import { afterPaintIdle } from './state/paint.ts';

const [updateReady, setUpdateReady] = createSignal<(() => Promise<void>) | null>(null);

export { updateReady };

/** Chromium's install offer (not in TypeScript's DOM types). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const [installOffer, setInstallOffer] = createSignal<InstallPromptEvent | null>(null);

/**
 * The browser's offer to install, kept for Settings' Install button (the event comes once,
 * early, whatever screen is open); null where the browser makes none, or once installed.
 */
export { installOffer };

export function clearInstallOffer(): void {
  setInstallOffer(null);
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    setInstallOffer(() => e as InstallPromptEvent);
  });
  window.addEventListener('appinstalled', clearInstallOffer);
}

/**
 * Registers once the page has loaded, its first screen is shown and it has gone quiet
 * (afterPaintIdle): installing fetches and caches every file of the app, which must not
 * compete with showing the first screen (a returning visit is served by the already active
 * worker either way).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const start = () => setTimeout(() => void afterPaintIdle().then(register), 1000);
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

function register(): void {
  const update = registerSW({
    onNeedRefresh: () => setUpdateReady(() => () => update(true)),
  });
}
