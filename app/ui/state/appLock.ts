// What screens may do with the app lock: a narrow handle (no keys, no storage), built by the
// composition root (app/adapters/appLockSession.ts) and handed down through context. The app
// works without one (tests, a browser without WebCrypto): Settings then offers no lock.
import { type Accessor, createContext, useContext } from 'solid-js';

export interface AppLockHandle {
  /** Whether the lock is on (the app only runs unlocked). */
  readonly on: Accessor<boolean>;
  /** Minutes without use before the app locks itself again; 0: only on restart. */
  readonly idleMinutes: Accessor<number>;
  /** Whether this device's screen lock (a passkey) can also unlock. */
  readonly hasPasskey: Accessor<boolean>;
  /** Whether this browser offers passkeys with the PRF extension (feature-detected). */
  passkeySupported(): Promise<boolean>;
  enable(passphrase: string, idleMinutes: number): Promise<void>;
  disable(passphrase: string): Promise<void>;
  setIdleMinutes(minutes: number): Promise<void>;
  addPasskey(): Promise<void>;
  removePasskey(): Promise<void>;
  /** Saves everything, then locks at once (the app reloads to its unlock screen). */
  lockNow(): Promise<void>;
}

/** What the unlock screen may do. */
export interface UnlockHandle {
  readonly hasPasskey: boolean;
  unlock(passphrase: string): Promise<void>;
  unlockWithPasskey(): Promise<void>;
}

/** The handle arrives just after the first screen (its code loads then). */
export const AppLockContext = createContext<Accessor<AppLockHandle | undefined>>(() => undefined);

export const useAppLock = (): Accessor<AppLockHandle | undefined> => useContext(AppLockContext);

/** The idle timeouts a member picks from, in minutes (0: only when the app restarts). */
export const IDLE_CHOICES: readonly { minutes: number; label: string }[] = [
  { minutes: 1, label: '1 minute' },
  { minutes: 5, label: '5 minutes' },
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 0, label: 'Only when Hearth restarts' },
];
