import { createSignal, lazy } from 'solid-js';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';

const ReceiveLink = lazy(() =>
  import('../features/devices/ReceiveLink.tsx').then((m) => ({ default: m.ReceiveLink })),
);

/** First run asks for one thing only: the name other members will see. */
export function Welcome() {
  const hearth = useHearth();
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await hearth.setUp(name());
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <h1>Welcome to Hearth</h1>
      <p>
        A private place for your group to talk, write and decide. Everything you write is encrypted
        on this device; there is no account and no password.
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="display-name">Your name</label>
          <input
            id="display-name"
            autocomplete="nickname"
            maxLength={100}
            required
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-describedby="display-name-hint"
          />
          <p class="hint" id="display-name-hint">
            Shown to the people in your groups. You can change it later.
          </p>
        </div>
        <p class="error" role="alert">
          {error()}
        </p>
        <button class="primary" type="submit" disabled={busy() || !name().trim()}>
          Continue
        </button>
      </form>
      <ReceiveLink />
    </main>
  );
}
