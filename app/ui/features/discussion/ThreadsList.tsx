// The Discuss tab: threads, pinned first, then by last activity, each row showing the same
// check as the thread's card (a row still being checked is neutral, never genuine).
import { createMemo, For, type JSX, Show } from 'solid-js';
import type { ThreadView } from '../../../core/features/discussion/Discussion.ts';
import { ItemRow } from '../../components/ItemRow.tsx';
import { ShowMore } from '../../components/ShowMore.tsx';
import { href } from '../../router.ts';
import type { Trust } from '../../state/GroupHandle.ts';
import { usePaged } from '../../state/paged.ts';
import type { TabProps } from '../Feature.ts';
import { PinMark } from '../pins/PinMark.tsx';
import { newThreadRoute, threadRoute } from './routes.ts';

export function ThreadsList(props: TabProps) {
  // Ids for the whole list, views for the page on screen only (a group may hold 10,000).
  const ids = createMemo(() => {
    props.handle.version();
    return props.handle.pins.pinnedFirstIds(props.handle.discussion.threadIds());
  });
  const page = usePaged(ids);
  const visible = createMemo(() => {
    props.handle.version();
    return page.visible().flatMap((id) => props.handle.discussion.thread(id) ?? []);
  });
  const groupId = () => props.handle.id;
  return (
    <>
      <div class="actions">
        <a class="button primary" href={href(newThreadRoute, { groupId: groupId() })}>
          New thread
        </a>
      </div>
      <h2>Discussion</h2>
      <Show
        when={ids().length > 0}
        fallback={
          <p class="empty">
            Nothing here yet. Start a thread, or invite someone so there is someone to talk to.
          </p>
        }
      >
        <ul class="list" aria-label="Threads">
          <For each={visible()}>
            {(t) => {
              const unread = () => props.unread().byParent.get(t.id) ?? 0;
              return (
                <ThreadRow
                  groupId={groupId()}
                  thread={t}
                  trust={props.handle.trust(t.id, t.status)}
                  pin={<PinMark handle={props.handle} itemId={t.id} />}
                  unread={unread()}
                />
              );
            }}
          </For>
        </ul>
        <ShowMore remaining={page.remaining()} step={page.step} noun="threads" onMore={page.more} />
      </Show>
    </>
  );
}

/** One row of the thread list (also painted from a kept first screen, Preview.tsx). */
export function ThreadRow(props: {
  groupId: string;
  thread: ThreadView;
  trust: Trust;
  /** Before the title: the pin mark. */
  pin?: JSX.Element;
  unread?: number;
}) {
  const t = () => props.thread;
  return (
    <ItemRow
      href={href(threadRoute, { groupId: props.groupId, threadId: t().id })}
      trust={props.trust}
      title={
        <>
          {props.pin}
          {t().deleted ? 'Deleted thread' : t().title}
        </>
      }
      hint={
        <>
          {t().authorName ?? 'Unknown member'} · {t().replyCount}{' '}
          {t().replyCount === 1 ? 'reply' : 'replies'}
        </>
      }
      {...(props.unread === undefined ? {} : { unread: props.unread })}
    />
  );
}
