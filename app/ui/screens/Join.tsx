import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import type { Hearth } from '../../core/hearth/Hearth.ts';
import { shortFingerprint } from '../../core/identity/fingerprint.ts';
import type { ResolvedInvite } from '../../core/invite/Invites.ts';
import { InviteError } from '../../core/invite/invite.ts';
import { dateTimeFormat } from '../components/dates.ts';
import { TopBar } from '../components/TopBar.tsx';
import { href, navigate } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { invitesOf } from './inviteClient.ts';
import { type Pending, pending, setPending } from './joinOffer.ts';
import { groupRoute, homeRoute } from './routes.ts';

async function resolve(hearth: Hearth, p: Pending | null): Promise<ResolvedInvite | null> {
  if (!p || 'error' in p) return null;
  if ('resolved' in p) return p.resolved;
  p.resolution ??= invitesOf(hearth).resolve(p.text);
  return p.resolution;
}

export function JoinScreen() {
  const hearth = useHearth();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [warning, setWarning] = createSignal<{
    groupId: string;
    /** The inviter's name, when their key is no member's. */
    inviter?: string;
    /** A group held under the same id that proved nothing was set aside for this one. */
    setAside?: boolean;
  } | null>(null);
  const [offer] = createResource(pending, (p) => resolve(hearth, p));
  const failure = (): { gone: boolean; text: string } | null => {
    const p = pending();
    if (p && 'error' in p) return { gone: false, text: p.error };
    const e: unknown = offer.error;
    if (e === undefined) return null;
    return {
      gone: e instanceof InviteError && e.code === 'gone',
      text: messageFor(e, 'This invitation could not be opened. Try again.'),
    };
  };
  const join = async (resolved: ResolvedInvite) => {
    setBusy(true);
    setError('');
    try {
      const result = await invitesOf(hearth).join(resolved);
      setPending(null);
      const notMember = result.inviter === 'not-a-member';
      if (notMember || result.setAside) {
        setWarning({
          groupId: result.groupId,
          ...(notMember ? { inviter: resolved.invite.inviterName } : {}),
          ...(result.setAside ? { setAside: true } : {}),
        });
        setBusy(false);
        return;
      }
      navigate(href(groupRoute, { groupId: result.groupId }), { replace: true });
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
          <Match when={warning()}>
            {(w) => (
              <section class="card">
                <h2>{w().inviter ? 'Check who invited you' : 'You joined the real group'}</h2>
                <Show when={w().setAside}>
                  <p role="status">
                    The group you joined earlier under this name was not the real one: it could not
                    show that it was, and this one can. It has been set aside on this device.
                  </p>
                </Show>
                <Show when={w().inviter}>
                  {(inviter) => (
                    <p class="error" role="alert">
                      You joined, but the key that signed this invitation (“{inviter()}”) does not
                      belong to a member of the group. Someone may be posing as a member: compare
                      keys with the person before trusting what the group shows.
                    </p>
                  )}
                </Show>
                <a class="button primary" href={href(groupRoute, { groupId: w().groupId })}>
                  Open the group
                </a>
              </section>
            )}
          </Match>
          <Match when={failure()}>
            {(f) => (
              <>
                <h2>
                  {f().gone ? 'This invitation no longer works' : 'This invite link does not work'}
                </h2>
                <p class="error" role="alert">
                  {f().text}
                </p>
                <p>Nothing was changed. Ask the person who invited you for a new link.</p>
                <a class="button" href={href(homeRoute)} onClick={() => setPending(null)}>
                  Back to your groups
                </a>
              </>
            )}
          </Match>
          <Match when={offer.loading}>
            <p role="status">Opening the invitation…</p>
          </Match>
          <Match when={offer()}>
            {(resolved) => (
              <section class="card">
                <h2>Join {resolved().invite.groupName}?</h2>
                <p>{resolved().invite.inviterName} invited you.</p>
                <p class="hint">
                  Their key:{' '}
                  <span class="fingerprint">{shortFingerprint(resolved().invite.inviterId)}</span>.
                  Hearth checked that this key signed the invitation; compare it with them if you
                  are unsure who sent it.
                </p>
                <Show when={resolved().expiresAt}>
                  {(at) => (
                    <p class="hint">This invitation works until {dateTimeFormat.format(at())}.</p>
                  )}
                </Show>
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
                    onClick={() => join(resolved())}
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
