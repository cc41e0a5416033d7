// Inside a group: the top bar (name, invite, sync status), the current tab's content
// (threads, posts or members) and the bottom tab bar with this member's unread counts.
import { type Accessor, createMemo, For, Match, Show, Switch } from 'solid-js';
import type { GroupRuntime } from '../../core/hearth/Hearth.ts';
import { ShowMore } from '../components/ShowMore.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { type GroupTab, TabBar, UnreadBadge } from '../components/TabBar.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { useGroup, useHearth } from '../state/hearthContext.ts';
import { usePaged } from '../state/paged.ts';
import { type TabUnread, unreadByTab, usePersonalVersion } from '../state/unread.ts';
import { MembersList } from './MembersScreen.tsx';
import { PostsList } from './PostsScreen.tsx';

export function GroupScreen(props: { groupId: string; tab?: GroupTab }) {
  const hearth = useHearth();
  const { runtime, version, status } = useGroup(() => props.groupId);
  const personalVersion = usePersonalVersion();
  const tab = (): GroupTab => props.tab ?? 'threads';
  const unread = createMemo((): TabUnread => {
    version();
    personalVersion();
    const rt = runtime();
    return rt
      ? unreadByTab(rt.group, hearth.personal, hearth.identity?.id)
      : { threads: 0, posts: 0, total: 0, byParent: new Map() };
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
        {(rt) => (
          <>
            <TopBar title={name()} back={href.home()} backLabel="Your groups">
              <a class="button" href={href.invite(props.groupId)}>
                Invite
              </a>
            </TopBar>
            <main>
              <p>
                <SyncBadge status={status()} />
              </p>
              <Switch>
                <Match when={tab() === 'threads'}>
                  <ThreadsList
                    groupId={props.groupId}
                    runtime={rt()}
                    version={version}
                    unread={unread}
                  />
                </Match>
                <Match when={tab() === 'posts'}>
                  <PostsList
                    groupId={props.groupId}
                    runtime={rt()}
                    version={version}
                    unread={unread}
                  />
                </Match>
                <Match when={tab() === 'members'}>
                  <MembersList runtime={rt()} version={version} />
                </Match>
              </Switch>
            </main>
            <TabBar
              groupId={props.groupId}
              active={tab()}
              unread={{ threads: unread().threads, posts: unread().posts }}
            />
          </>
        )}
      </Match>
    </Switch>
  );
}

/** The Discuss tab: threads, pinned first, then by last activity. */
function ThreadsList(props: {
  groupId: string;
  runtime: GroupRuntime;
  version: Accessor<number>;
  unread: Accessor<TabUnread>;
}) {
  const threads = createMemo(() => {
    props.version();
    return props.runtime.group.threads();
  });
  const page = usePaged(threads);
  return (
    <>
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
          <For each={page.visible()}>
            {(t) => {
              const unread = () => props.unread().byParent.get(t.id) ?? 0;
              return (
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
                    <Show when={unread() > 0}>
                      <UnreadBadge count={unread()} />
                    </Show>
                  </a>
                </li>
              );
            }}
          </For>
        </ul>
        <ShowMore remaining={page.remaining()} step={page.step} noun="threads" onMore={page.more} />
      </Show>
    </>
  );
}
