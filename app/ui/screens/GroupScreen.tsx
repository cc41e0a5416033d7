import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { useGroup } from '../state/hearthContext.ts';

/** A group's discussion: its threads, pinned first, then by last activity. */
export function GroupScreen(props: { groupId: string }) {
  const { runtime, version, status } = useGroup(() => props.groupId);
  const threads = createMemo(() => {
    version();
    return runtime()?.group.threads() ?? [];
  });
  const name = () => {
    version();
    return runtime()?.group.info().name || runtime()?.entry.name || 'Group';
  };
  return (
    <Switch>
      <Match when={runtime.loading}>
        <main aria-busy="true">Opening…</main>
      </Match>
      <Match when={runtime() === null}>
        <TopBar title="Not found" back={href.home()} />
        <main>
          <p>This device is not in that group. Ask a member for an invite link.</p>
        </main>
      </Match>
      <Match when={runtime()}>
        <TopBar title={name()} back={href.home()} backLabel="Your groups">
          <a class="button" href={href.invite(props.groupId)}>
            Invite
          </a>
        </TopBar>
        <main>
          <p>
            <SyncBadge status={status()} />
          </p>
          <div class="actions">
            <a class="button primary" href={href.newThread(props.groupId)}>
              New thread
            </a>
          </div>
          <h2>Discussion</h2>
          <Show
            when={threads().length > 0}
            fallback={
              <p class="empty">
                Nothing here yet. Start a thread, or invite someone so there is someone to talk to.
              </p>
            }
          >
            <ul class="list" aria-label="Threads">
              <For each={threads()}>
                {(t) => (
                  <li>
                    <a class="row-link" href={href.thread(props.groupId, t.id)}>
                      <span class="grow">
                        <span class="title">
                          {t.pinned ? '📌 ' : ''}
                          {t.deleted ? 'Deleted thread' : t.title}
                        </span>
                        <span class="hint">
                          {t.authorName ?? 'Unknown'} · {t.replyCount}{' '}
                          {t.replyCount === 1 ? 'reply' : 'replies'}
                        </span>
                      </span>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </main>
      </Match>
    </Switch>
  );
}
