// The Posts tab of a group: long-form writing, pinned first and then by latest activity,
// each with its author, date, comment count, the same check as its card, and what this
// member has not read yet. A shared post's attribution is part of what its check covers.
import { createMemo, For, Show } from 'solid-js';
import { dateFormat } from '../../components/dates.ts';
import { ItemRow } from '../../components/ItemRow.tsx';
import { ShowMore } from '../../components/ShowMore.tsx';
import { href } from '../../router.ts';
import { usePaged } from '../../state/paged.ts';
import type { TabProps } from '../Feature.ts';
import { PinMark } from '../pins/PinMark.tsx';
import { newPostRoute, postRoute } from './routes.ts';

export function PostsList(props: TabProps) {
  // Ids for the whole list, views for the page on screen only (a group may hold 10,000).
  const ids = createMemo(() => {
    props.handle.version();
    return props.handle.pins.pinnedFirstIds(props.handle.posts.postIds());
  });
  const page = usePaged(ids);
  const visible = createMemo(() => {
    props.handle.version();
    return page.visible().flatMap((id) => props.handle.posts.post(id) ?? []);
  });
  const groupId = () => props.handle.id;
  return (
    <>
      <div class="actions">
        <a class="button primary" href={href(newPostRoute, { groupId: groupId() })}>
          New post
        </a>
      </div>
      <h2>Posts</h2>
      <Show
        when={ids().length > 0}
        fallback={
          <p class="empty">
            No posts yet. Posts are for longer writing: a plan, a report, a recipe, notes from a
            meeting. Write the first one, and members can comment and react.
          </p>
        }
      >
        <ul class="list" aria-label="Posts">
          <For each={visible()}>
            {(p) => {
              const unread = () => props.unread().byParent.get(p.id) ?? 0;
              const trust = () => props.handle.trust(p.id, p.status);
              return (
                <ItemRow
                  href={href(postRoute, { groupId: groupId(), postId: p.id })}
                  trust={trust()}
                  title={
                    <>
                      <PinMark handle={props.handle} itemId={p.id} />
                      {p.title}
                    </>
                  }
                  hint={
                    <>
                      {p.sharedFrom
                        ? `${p.sharedFrom.authorName} · shared from ${p.sharedFrom.groupName}`
                        : (p.authorName ?? 'Unknown member')}{' '}
                      ·{' '}
                      <time datetime={new Date(p.createdAt).toISOString()}>
                        {dateFormat.format(p.createdAt)}
                      </time>{' '}
                      · {p.commentCount} {p.commentCount === 1 ? 'comment' : 'comments'}
                    </>
                  }
                  unread={unread()}
                />
              );
            }}
          </For>
        </ul>
        <ShowMore remaining={page.remaining()} step={page.step} noun="posts" onMore={page.more} />
      </Show>
    </>
  );
}
