// The Posts tab of a group: long-form writing, pinned first and then by latest activity,
// each with its author, date, comment count and what this member has not read yet.
import { type Accessor, createMemo, For, Show } from 'solid-js';
import type { GroupRuntime } from '../../core/hearth/Hearth.ts';
import { ShowMore } from '../components/ShowMore.tsx';
import { UnreadBadge } from '../components/TabBar.tsx';
import { href } from '../router.ts';
import { usePaged } from '../state/paged.ts';
import type { TabUnread } from '../state/unread.ts';

export const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function PostsList(props: {
  groupId: string;
  runtime: GroupRuntime;
  version: Accessor<number>;
  unread: Accessor<TabUnread>;
}) {
  const posts = createMemo(() => {
    props.version();
    return props.runtime.group.posts();
  });
  const page = usePaged(posts);
  return (
    <>
      <div class="actions">
        <a class="button primary" href={href.newPost(props.groupId)}>
          New post
        </a>
      </div>
      <h2>Posts</h2>
      <Show
        when={posts().length > 0}
        fallback={
          <p class="empty">
            No posts yet. Posts are for longer writing: a plan, a report, a recipe, notes from a
            meeting. Write the first one, and members can comment and react.
          </p>
        }
      >
        <ul class="list" aria-label="Posts">
          <For each={page.visible()}>
            {(p) => {
              const unread = () => props.unread().byParent.get(p.id) ?? 0;
              return (
                <li>
                  <a class="row-link" href={href.post(props.groupId, p.id)}>
                    <span class="grow">
                      <span class="title">
                        {p.pinned ? '📌 ' : ''}
                        {p.title}
                      </span>
                      <span class="hint">
                        {p.sharedFrom
                          ? `${p.sharedFrom.authorName} · shared from ${p.sharedFrom.groupName}`
                          : (p.authorName ?? 'Unknown member')}{' '}
                        ·{' '}
                        <time datetime={new Date(p.createdAt).toISOString()}>
                          {dateFormat.format(p.createdAt)}
                        </time>{' '}
                        · {p.commentCount} {p.commentCount === 1 ? 'comment' : 'comments'}
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
        <ShowMore remaining={page.remaining()} step={page.step} noun="posts" onMore={page.more} />
      </Show>
    </>
  );
}
