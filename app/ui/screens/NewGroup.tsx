import { createSignal } from 'solid-js';
import { TopBar } from '../components/TopBar.tsx';
import { href, navigate } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { groupRoute, homeRoute } from './routes.ts';

export function NewGroup() {
  const hearth = useHearth();
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const rt = await hearth.createGroup(name());
      navigate(href(groupRoute, { groupId: rt.entry.groupId }), { replace: true });
    } catch (err) {
      setError(messageFor(err));
      setBusy(false);
    }
  };
  return (
    <>
      <TopBar title="New group" back={href(homeRoute)} />
      <main>
        <form onSubmit={submit}>
          <div class="field">
            <label for="group-name">Group name</label>
            <input
              id="group-name"
              maxLength={100}
              required
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <p class="hint">Members see this name. Only people you invite can join.</p>
          </div>
          <p class="error" role="alert">
            {error()}
          </p>
          <button class="primary" type="submit" disabled={busy() || !name().trim()}>
            Create group
          </button>
        </form>
      </main>
    </>
  );
}
