// Composition root: the only place (with boot.ts, which opens IndexedDB first) that picks
// concrete adapters (IndexedDB, fetch to the relay's mailbox, WebRTC through y-webrtc) and
// hands them to the core's Hearth service.
import { createSignal, type JSX } from 'solid-js';
import { render } from 'solid-js/web';
import { fetchRelayConfig } from './adapters/relayConfig.ts';
import { relayHttpBase, relaySignalingUrl } from './adapters/relayUrl.ts';
import { bootPainted, storage as storageOpening } from './boot.ts';
import { Hearth, type HearthEnv } from './core/hearth/Hearth.ts';
import { AppLock } from './core/lock/AppLock.ts';
import { lazyMailbox } from './core/sync/Mailbox.ts';
import { App } from './ui/App.tsx';
import { StartupError } from './ui/screens/StartupError.tsx';
import { registerServiceWorker } from './ui/serviceWorker.ts';
import { AppLockContext, type AppLockHandle } from './ui/state/appLock.ts';
import { afterPaintIdle, firstPaintPresented } from './ui/state/paint.ts';

const root = document.getElementById('root') as HTMLElement;

/** Renders into the page's root, replacing what boot.ts painted first (ui/firstPaint.ts). */
const mount = (code: () => JSX.Element): (() => void) => {
  root.replaceChildren();
  return render(code, root);
};

async function boot(): Promise<void> {
  // Marks for traces and the bench (bench/browser): code loaded, storage read, first render.
  performance.mark('hearth:boot');
  // With the app lock on, nothing is read until the member unlocks (AppLock, WrappedStorage).
  const lock = await AppLock.open(await storageOpening);
  if (lock.state === 'locked') {
    // Only a locked app needs these; the everyday start does not load them.
    const [{ UnlockScreen }, { unlockHandle }] = await Promise.all([
      import('./ui/screens/UnlockScreen.tsx'),
      import('./adapters/appLockSession.ts'),
    ]);
    await new Promise<void>((unlocked) => {
      const dispose = mount(() => (
        <UnlockScreen
          lock={unlockHandle(lock)}
          onUnlocked={() => {
            dispose();
            unlocked();
          }}
        />
      ));
    });
  }
  // boot.ts has painted the first screen from the rows read ahead (firstPaint.ts); let the
  // browser show it before the app's own render replaces it, which otherwise runs in the
  // same task (a quarter of a second at most).
  if ((await bootPainted) && document.visibilityState === 'visible') {
    await firstPaintPresented(250);
  }
  const storage = lock.storage;
  const wsScheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const iceCache = new Map<string, Promise<RTCIceServer[]>>();
  const iceServersOf = (relay: string): Promise<RTCIceServer[]> => {
    const base = relayHttpBase(relay);
    let p = iceCache.get(base);
    if (!p) {
      // An answer is kept for the page's life; a failure (offline, relay down) is not, or a
      // group opened offline would go without the relay's TURN servers until a reload.
      p = fetchRelayConfig(base, { timeoutMs: 4000 }).then((c) => {
        if (!c.reachable) iceCache.delete(base);
        return c.iceServers;
      });
      iceCache.set(base, p);
    }
    return p;
  };
  const env: HearthEnv = {
    storage,
    origin: location.origin,
    // The relay that serves the app, unless the build names another (HEARTH_RELAY).
    defaultRelay: __HEARTH_RELAY__ || `${wsScheme}://${location.host}/signal`,
    // The HTTP client loads with the first pull or push, after the first screen.
    mailboxFor: (relayUrl) =>
      lazyMailbox(
        async () => new (await import('./adapters/HttpMailbox.ts')).HttpMailbox({ relayUrl }),
      ),
    // y-webrtc and simple-peer load after the first screen: local data renders without them.
    transportFor: async ({ doc, keys, relays, awareness }) =>
      new (await import('./adapters/WebrtcTransport.ts')).WebrtcTransport({
        roomId: keys.roomId,
        doc,
        signalingUrls: relays.map(relaySignalingUrl),
        signalingSecret: keys.signalingSecret,
        iceServers: await iceServersOf(relays[0] ?? ''),
        ...(awareness ? { awareness } : {}),
      }),
    afterPaint: afterPaintIdle,
  };
  const hearth = await Hearth.load(env);
  performance.mark('hearth:loaded');

  const pull = () => void hearth.pullAll();
  window.addEventListener('focus', pull);
  window.addEventListener('online', pull);
  // Losing the network is news too: the failing pull turns the status to "Offline" at once.
  window.addEventListener('offline', pull);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') pull();
    else void hearth.flushAll();
  });
  window.addEventListener('pagehide', () => void hearth.flushAll());

  // The lock's handle (Settings, the idle timer) loads after the first screen.
  const [locking, setLocking] = createSignal<AppLockHandle>();
  if (AppLock.supported()) {
    void afterPaintIdle()
      .then(() => import('./adapters/appLockSession.ts'))
      .then(({ appLockHandle }) => setLocking(appLockHandle(lock, () => hearth.flushAll())))
      .catch((e: unknown) => console.error(e));
  }
  const dispose = mount(() => (
    <AppLockContext.Provider value={locking}>
      <App hearth={hearth} />
    </AppLockContext.Provider>
  ));
  performance.mark('hearth:rendered');
  // The identity's keys are checked after the first paint; damaged keys stop the app there,
  // as they stopped it at load before.
  hearth.identityChecked.catch((e: unknown) => {
    console.error(e);
    dispose();
    mount(() => <StartupError error={e} />);
  });
  registerServiceWorker();
}

boot().catch((e: unknown) => {
  console.error(e);
  mount(() => <StartupError error={e} />);
});
