import { createSignal, For, Show } from 'solid-js';
import { InviteError, parseInvite } from '../../core/invite/invite.ts';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { useHearth, useHearthVersion } from '../state/hearthContext.ts';
import { offerInvite } from './Join.tsx';

/** The list of your groups, and the two ways in: start one or join one with a link. */
export function Home() {
  const hearth = useHearth();
  const version = useHearthVersion();
  const groups = () => {
    version();
    return hearth.groups();
  };
  const [link, setLink] = createSignal('');
  const [error, setError] = createSignal('');
  const joinByLink = (e: Event) => {
    e.preventDefault();
    try {
      offerInvite(parseInvite(link()));
      setLink('');
      setError('');
    } catch (err) {
      setError(
        err instanceof InviteError ? err.message : 'This does not look like a Hearth invite link.',
      );
    }
  };
  return (
    <>
      <TopBar title="Hearth" />
      <main>
        <h2>Your groups</h2>
        <Show
          when={groups().length > 0}
          fallback={
            <p class="empty">
              You are not in a group yet. Start one for your people, or open an invite link someone
              sent you.
            </p>
          }
        >
          <ul class="list">
            <For each={groups()}>
              {(g) => (
                <li>
                  <a class="row-link" href={href.group(g.groupId)}>
                    <span class="grow">
                      <span class="title">{g.name}</span>
                    </span>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="actions">
          <a class="button primary" href={href.newGroup()}>
            New group
          </a>
        </div>
        <section class="card">
          <h2>Join with an invite</h2>
          <form onSubmit={joinByLink}>
            <div class="field">
              <label for="invite-link-input">Invite link</label>
              <input
                id="invite-link-input"
                inputMode="url"
                autocomplete="off"
                value={link()}
                onInput={(e) => setLink(e.currentTarget.value)}
                placeholder="Paste the link you were sent"
              />
            </div>
            <p class="error" role="alert">
              {error()}
            </p>
            <button type="submit" disabled={!link().trim()}>
              Join
            </button>
          </form>
        </section>
      </main>
    </>
  );
}
