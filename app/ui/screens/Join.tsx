import { createSignal, Match, Switch } from 'solid-js';
import { type Invite, parseInvite } from '../../core/invite/invite.ts';
import { TopBar } from '../components/TopBar.tsx';
import { href, navigate } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { groupRoute, homeRoute, joiningRoute } from './routes.ts';

const [pending, setPending] = createSignal<{ invite?: Invite; error?: string } | null>(null);

/**
 * Reads an invite from the address bar once, then removes it from the address bar and the
 * history (the link holds the group key), keeping it only in memory.
 */
export function takeInviteFromUrl(payload: string): void {
  try {
    setPending({ invite: parseInvite(payload) });
  } catch (e) {
    setPending({ error: messageFor(e, 'This does not look like a Hearth invite link.') });
  }
  navigate(href(joiningRoute), { replace: true });
}

export function offerInvite(invite: Invite): void {
  setPending({ invite });
  navigate(href(joiningRoute));
}

export function JoinScreen() {
  const hearth = useHearth();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const join = async (invite: Invite) => {
    setBusy(true);
    setError('');
    try {
      const rt = await hearth.join(invite);
      setPending(null);
      navigate(href(groupRoute, { groupId: rt.entry.groupId }), { replace: true });
    } catch (e) {
      setError(messageFor(e));
      setBusy(false);
    }
  };
  return (
    <>
      <TopBar title="Invitation" back={href(homeRoute)} />
      <main>
        <Switch fallback={<p>There is no invitation open. Ask for a new link.</p>}>
          <Match when={pending()?.error}>
            <h2>This invite link does not work</h2>
            <p class="error" role="alert">
              {pending()?.error}
            </p>
            <p>Nothing was changed. Ask the person who invited you to send the link again.</p>
            <a class="button" href={href(homeRoute)}>
              Back to your groups
            </a>
          </Match>
          <Match when={pending()?.invite}>
            {(invite) => (
              <section class="card">
                <h2>Join {invite().groupName}?</h2>
                <p>{invite().inviterName} invited you.</p>
                <p class="hint">
                  You will appear to the group as “{hearth.identity?.name}”. What the group writes
                  is end-to-end encrypted; the relay that connects you cannot read it.
                </p>
                <p class="error" role="alert">
                  {error()}
                </p>
                <div class="actions">
                  <button
                    class="primary"
                    type="button"
                    disabled={busy()}
                    onClick={() => join(invite())}
                  >
                    Join group
                  </button>
                  <a class="button" href={href(homeRoute)} onClick={() => setPending(null)}>
                    Not now
                  </a>
                </div>
              </section>
            )}
          </Match>
        </Switch>
      </main>
    </>
  );
}
