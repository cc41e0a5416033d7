// Settings → App lock: turn the lock on with a passphrase (and, where the device can, its
// screen lock through a passkey), choose when it locks itself again, lock now, turn it off.
import { createResource, createSignal, For, Show } from 'solid-js';
import { type AppLockHandle, IDLE_CHOICES, useAppLock } from '../state/appLock.ts';
import { messageFor } from '../state/errors.ts';

export function AppLockSettings() {
  const lock = useAppLock();
  return (
    <section class="card" aria-labelledby="app-lock-title">
      <h2 id="app-lock-title">App lock</h2>
      <Show
        when={lock()}
        fallback={<p class="hint">This browser cannot lock Hearth on this page.</p>}
      >
        {(l) => (
          <Show when={l().on()} fallback={<TurnOn lock={l()} />}>
            <LockOn lock={l()} />
          </Show>
        )}
      </Show>
    </section>
  );
}

/** Runs one action at a time, with its error in words. */
function useAction() {
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const run = async (f: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError('');
    try {
      await f();
      return true;
    } catch (err) {
      setError(messageFor(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function IdleChoice(props: { id: string; value: number; onChange: (minutes: number) => void }) {
  return (
    <div class="field">
      <label for={props.id}>Lock again after</label>
      <select
        id={props.id}
        value={String(props.value)}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      >
        <For each={IDLE_CHOICES}>{(c) => <option value={String(c.minutes)}>{c.label}</option>}</For>
      </select>
    </div>
  );
}

function TurnOn(props: { lock: AppLockHandle }) {
  const [pass, setPass] = createSignal('');
  const [again, setAgain] = createSignal('');
  const [minutes, setMinutes] = createSignal(props.lock.idleMinutes());
  const { error, busy, run } = useAction();
  const mismatch = () => again() !== '' && again() !== pass();
  const submit = (e: Event) => {
    e.preventDefault();
    if (pass() !== again()) return;
    void run(() => props.lock.enable(pass(), minutes()));
  };
  return (
    <>
      <p>
        Off. Without the lock, each group’s messages are sealed on this device, but your name, your
        groups’ names and their keys are stored readable: anyone who copies this browser’s data can
        read your groups.
      </p>
      <p class="hint">
        With the lock on, everything Hearth keeps here is sealed under your passphrase, and Hearth
        asks for it when it starts and after the time you choose. If you forget the passphrase, only
        a backup or another linked device brings your groups back.
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="lock-pass">Passphrase</label>
          <input
            id="lock-pass"
            type="password"
            autocomplete="new-password"
            minLength={8}
            required
            value={pass()}
            onInput={(e) => setPass(e.currentTarget.value)}
            aria-describedby="lock-pass-hint"
          />
          <p class="hint" id="lock-pass-hint">
            At least 8 characters; a few words are easy to remember and hard to guess.
          </p>
        </div>
        <div class="field">
          <label for="lock-pass-again">Passphrase again</label>
          <input
            id="lock-pass-again"
            type="password"
            autocomplete="new-password"
            required
            value={again()}
            onInput={(e) => setAgain(e.currentTarget.value)}
            aria-invalid={mismatch()}
          />
        </div>
        <IdleChoice id="lock-idle-new" value={minutes()} onChange={setMinutes} />
        <p class="error" role="alert">
          {mismatch() ? 'The two passphrases differ.' : error()}
        </p>
        <button class="primary" type="submit" disabled={busy() || !pass() || pass() !== again()}>
          {busy() ? 'Locking your data…' : 'Turn on the lock'}
        </button>
      </form>
    </>
  );
}

function LockOn(props: { lock: AppLockHandle }) {
  const [pass, setPass] = createSignal('');
  const { error, busy, run } = useAction();
  const [passkeyOk] = createResource(() => props.lock.passkeySupported());
  const turnOff = (e: Event) => {
    e.preventDefault();
    void run(() => props.lock.disable(pass()));
  };
  return (
    <>
      <p data-testid="app-lock-on">
        On. Everything Hearth keeps on this device is sealed under your passphrase
        {props.lock.hasPasskey() ? ' or this device’s screen lock' : ''}.
      </p>
      <IdleChoice
        id="lock-idle"
        value={props.lock.idleMinutes()}
        onChange={(m) => void run(() => props.lock.setIdleMinutes(m))}
      />
      <div class="actions">
        <button type="button" disabled={busy()} onClick={() => void run(props.lock.lockNow)}>
          Lock now
        </button>
        <Show
          when={props.lock.hasPasskey()}
          fallback={
            <Show when={passkeyOk()}>
              <button
                type="button"
                disabled={busy()}
                onClick={() => void run(props.lock.addPasskey)}
              >
                Also unlock with screen lock
              </button>
            </Show>
          }
        >
          <button
            type="button"
            disabled={busy()}
            onClick={() => void run(props.lock.removePasskey)}
          >
            Stop unlocking with screen lock
          </button>
        </Show>
      </div>
      <form onSubmit={turnOff}>
        <div class="field">
          <label for="lock-off-pass">Passphrase, to turn the lock off</label>
          <input
            id="lock-off-pass"
            type="password"
            autocomplete="current-password"
            value={pass()}
            onInput={(e) => setPass(e.currentTarget.value)}
          />
        </div>
        <button class="danger" type="submit" disabled={busy() || !pass()}>
          Turn off the lock
        </button>
      </form>
      <p class="error" role="alert">
        {error()}
      </p>
    </>
  );
}
