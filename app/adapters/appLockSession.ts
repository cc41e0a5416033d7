// The app lock in the browser: the unlock screen before the app loads, the handle Settings
// uses, and locking again after the idle time the member chose. Locking drops every key the
// page holds the only sure way, by reloading the page into its unlock screen.
import { createSignal } from 'solid-js';
import { randomSalt } from '../core/crypto/lockKeys.ts';
import { AppLock, AppLockError } from '../core/lock/AppLock.ts';
import type { AppLockHandle, UnlockHandle } from '../ui/state/appLock.ts';
import { createPrfPasskey, prfOutput, prfSupported } from './passkeyPrf.ts';

/** What unlocking needs from the lock, for the unlock screen. */
export function unlockHandle(lock: AppLock): UnlockHandle {
  return {
    hasPasskey: lock.passkey !== undefined,
    unlock: (passphrase) => lock.unlockWithPassphrase(passphrase),
    async unlockWithPasskey() {
      const ref = lock.passkey;
      if (!ref) throw new AppLockError('passkey-failed', 'no passkey is registered');
      await lock.unlockWithPasskey(await prfOutput(ref.credentialId, ref.prfSalt));
    },
  };
}

/**
 * The handle Settings uses. `save` writes out everything the app holds (before locking),
 * `relock` drops the page's keys (a reload: the unlock screen comes back).
 */
export function appLockHandle(
  lock: AppLock,
  save: () => Promise<void>,
  relock: () => void = () => location.reload(),
): AppLockHandle {
  const [on, setOn] = createSignal(lock.state !== 'off');
  const [idleMinutes, setIdle] = createSignal(lock.idleMinutes);
  const [hasPasskey, setHasPasskey] = createSignal(lock.passkey !== undefined);
  const sync = () => {
    setOn(lock.state !== 'off');
    setIdle(lock.idleMinutes);
    setHasPasskey(lock.passkey !== undefined);
  };
  const after =
    <A extends unknown[]>(f: (...a: A) => Promise<void>) =>
    async (...a: A) => {
      try {
        await f(...a);
      } finally {
        sync();
      }
    };
  const handle: AppLockHandle = {
    on,
    idleMinutes,
    hasPasskey,
    passkeySupported: () => (AppLock.supported() ? prfSupported() : Promise.resolve(false)),
    enable: after(async (passphrase: string, minutes: number) => {
      await save();
      await lock.enable({ passphrase, idleMinutes: minutes });
    }),
    disable: after((passphrase: string) => lock.disable(passphrase)),
    setIdleMinutes: after((minutes: number) => lock.setIdleMinutes(minutes)),
    addPasskey: after(async () => {
      const prfSalt = randomSalt();
      const { credentialId, output } = await createPrfPasskey(prfSalt);
      await lock.addPasskey({ credentialId, prfSalt }, output);
    }),
    removePasskey: after(() => lock.removePasskey()),
    async lockNow() {
      await save();
      relock();
    },
  };
  watchIdle(handle);
  return handle;
}

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_MS = 15_000;

/** Locks after `idleMinutes` without a touch, a key or a scroll (checked on return too). */
function watchIdle(handle: AppLockHandle): void {
  let last = Date.now();
  const touch = () => {
    last = Date.now();
  };
  for (const type of ACTIVITY) addEventListener(type, touch, { passive: true, capture: true });
  const check = () => {
    const minutes = handle.idleMinutes();
    if (!handle.on() || minutes <= 0) return;
    if (Date.now() - last >= minutes * 60_000) void handle.lockNow();
  };
  setInterval(check, CHECK_MS);
  // A phone puts a hidden page's timers to sleep: coming back is when the time is counted.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}
