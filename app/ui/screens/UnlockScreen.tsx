// Shown instead of the app while the app lock is on and the app has not been unlocked since
// it started (or since it locked itself after the idle time). Nothing of the member's data
// has been read yet: it cannot be, before the passphrase or the screen lock opens it.
import { createSignal, Show } from 'solid-js';
import { TopBar } from '../components/TopBar.tsx';
import type { UnlockHandle } from '../state/appLock.ts';
import { messageFor } from '../state/errors.ts';

export function UnlockScreen(props: { lock: UnlockHandle; onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const attempt = async (f: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await f();
      props.onUnlocked();
    } catch (err) {
      setError(messageFor(err, 'Hearth could not be unlocked. Try again.'));
      setBusy(false);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void attempt(() => props.lock.unlock(passphrase()));
  };
  return (
    <>
      <TopBar title="Hearth is locked" />
      <main>
        <p>Your groups on this device are locked. Unlock to read and write.</p>
        <Show when={props.lock.hasPasskey}>
          <div class="actions">
            <button
              type="button"
              class="primary"
              disabled={busy()}
              onClick={() => void attempt(() => props.lock.unlockWithPasskey())}
            >
              Unlock with screen lock
            </button>
          </div>
        </Show>
        <form onSubmit={submit}>
          <div class="field">
            <label for="unlock-passphrase">Passphrase</label>
            <input
              id="unlock-passphrase"
              type="password"
              autocomplete="current-password"
              required
              value={passphrase()}
              onInput={(e) => setPassphrase(e.currentTarget.value)}
            />
          </div>
          <p class="error" role="alert">
            {error()}
          </p>
          <button
            type="submit"
            classList={{ primary: !props.lock.hasPasskey }}
            disabled={busy() || !passphrase()}
          >
            {busy() ? 'Unlocking…' : 'Unlock'}
          </button>
        </form>
      </main>
    </>
  );
}
