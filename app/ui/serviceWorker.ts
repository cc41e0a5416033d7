// Registers the generated service worker (offline app shell). A new version waits until the
// person chooses to reload, so an update never interrupts someone writing.

import { registerSW } from 'virtual:pwa-register';
import { createSignal } from 'solid-js';

const [updateReady, setUpdateReady] = createSignal<(() => Promise<void>) | null>(null);

export { updateReady };

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const update = registerSW({
    onNeedRefresh: () => setUpdateReady(() => () => update(true)),
  });
}
