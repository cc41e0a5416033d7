import { createSignal } from 'solid-js';
import { ReceiveLink } from '../features/devices/ReceiveLink.tsx';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { WELCOME_INTRO, WELCOME_TITLE } from './firstScreenText.ts';

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
      <h1>{WELCOME_TITLE}</h1>
      <p>{WELCOME_INTRO}</p>
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
