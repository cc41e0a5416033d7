// "New thread" from the installed app's shortcut (manifest shortcuts, vite.config.ts) knows
// no group: with one group it goes straight to that group's new thread, else it asks which.
import { createEffect, For, Show } from 'solid-js';
import { TopBar } from '../../components/TopBar.tsx';
import { href, navigate } from '../../router.ts';
import { homeRoute, newGroupRoute } from '../../screens/routes.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';
import { newThreadRoute } from './routes.ts';

export function PickGroup() {
  const hearth = useHearth();
  const version = useHearthVersion();
  const groups = () => {
    version();
    return hearth.groups();
  };
  createEffect(() => {
    const only = groups().length === 1 ? groups()[0] : undefined;
    if (only) navigate(href(newThreadRoute, { groupId: only.groupId }), { replace: true });
  });
  return (
    <>
      <TopBar title="New thread" back={href(homeRoute)} backLabel="Back to your groups" />
      <main>
        <Show
          when={groups().length > 0}
          fallback={
            <>
              <p class="empty">
                You are not in a group yet. Start one, or join with an invite, then start threads in
                it.
              </p>
              <div class="actions">
                <a class="button primary" href={href(newGroupRoute)}>
                  New group
                </a>
              </div>
            </>
          }
        >
          <h2>In which group?</h2>
          <ul class="list" aria-label="Start a thread in">
            <For each={groups()}>
              {(g) => (
                <li>
                  <a class="row-link" href={href(newThreadRoute, { groupId: g.groupId })}>
                    <span class="title">{g.name}</span>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </main>
    </>
  );
}
