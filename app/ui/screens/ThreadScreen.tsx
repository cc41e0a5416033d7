// One discussion thread: its opening message, a window of its replies (a thread of a
// thousand replies builds only what is being read), pinning, and a composer that can answer
// a particular reply. Every card verifies its own signature once it is rendered.
import { createMemo, createSignal, Show } from 'solid-js';
import type { GroupId } from '../../core/crypto/keys.ts';
import type { ItemView, ReplyView } from '../../core/group/views.ts';
import { Composer } from '../components/Composer.tsx';
import { ItemCard, itemElementId } from '../components/ItemCard.tsx';
import { reuseUnchanged, sameView } from '../components/renderWindow.ts';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { VirtualList, type VirtualListControl } from '../components/VirtualList.tsx';
import { href } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useGroup, useHearth } from '../state/hearthContext.ts';

export function ThreadScreen(props: { groupId: string; threadId: string }) {
  const hearth = useHearth();
  const { runtime, version, status } = useGroup(() => props.groupId);
  // Read before this visit moves it, so the thread can open at the first unread reply.
  const marker = hearth.personal?.get(props.groupId as GroupId, props.threadId);

  const thread = createMemo(() => {
    version();
    return runtime()?.group.thread(props.threadId);
  });
  const replies = createMemo<ReplyView[]>((previous) => {
    version();
    const next = runtime()?.group.replies(props.threadId) ?? [];
    return reuseUnchanged(previous, next, sameView);
  }, []);
  const groupName = () => {
    version();
    return runtime()?.group.info().name || runtime()?.entry.name || 'Group';
  };

  // Fixed when the list opens, so the "new" marker stays put while reading.
  let unreadId: string | undefined;
  const firstUnread = (): number | undefined => {
    const me = hearth.identity?.id;
    const list = replies();
    const i = list.findIndex(
      (r) => r.author !== me && !r.deleted && (!marker || r.createdAt > marker.at),
    );
    unreadId = list[i]?.id;
    return i < 0 ? undefined : i;
  };

  let read = marker?.at ?? -1;
  const markRead = (upTo: number) => {
    const list = replies();
    const last = list[Math.min(upTo, list.length) - 1] ?? thread();
    if (!last || last.createdAt <= read) return;
    read = last.createdAt;
    void hearth.markRead(props.groupId, props.threadId, last.createdAt, last.id);
  };

  const [quoting, setQuoting] = createSignal<ItemView | undefined>();
  const [pinError, setPinError] = createSignal('');
  let list: VirtualListControl | undefined;

  const send = (body: string, quoteOf?: string) => {
    const rt = runtime();
    if (!rt) throw new Error('This group is still opening. Try again in a moment.');
    rt.group.reply(hearth.me, props.threadId, body, quoteOf);
    setQuoting(undefined);
    queueMicrotask(() => list?.toEnd());
  };

  const togglePin = (pinned: boolean) => {
    try {
      runtime()?.group.pin(hearth.me, props.threadId, pinned);
      setPinError('');
    } catch (err) {
      setPinError(messageFor(err));
    }
  };

  return (
    <>
      <TopBar title={groupName()} back={href.group(props.groupId)} backLabel="Threads" />
      <main class="thread-view">
        <p>
          <SyncBadge status={status()} />
        </p>
        <Show
          when={runtime() && thread()}
          fallback={
            <p class="empty">
              {runtime.loading ? 'Opening…' : 'This thread has not arrived on this device yet.'}
            </p>
          }
        >
          {(t) => (
            <>
              <div class="thread-head">
                <h2>{t().deleted ? 'Deleted thread' : t().title}</h2>
                <Show when={!t().deleted}>
                  <button
                    type="button"
                    class="quiet pin-toggle"
                    aria-pressed={t().pinned}
                    onClick={() => togglePin(!t().pinned)}
                  >
                    <span aria-hidden="true">📌</span> {t().pinned ? 'Unpin thread' : 'Pin thread'}
                  </button>
                </Show>
              </div>
              <Show when={t().pinned && !t().deleted}>
                <p class="pin-marker">
                  <span aria-hidden="true">📌</span> Pinned: shown first in the thread list
                </p>
              </Show>
              <Show when={pinError()}>
                <p class="error" role="alert">
                  {pinError()}
                </p>
              </Show>
              <ItemCard item={t()} group={runtime()!.group} />
              <h3 class="visually-hidden">Replies</h3>
              <Show when={replies().length === 0}>
                <p class="empty">No replies yet. Say something below.</p>
              </Show>
              <VirtualList
                items={replies()}
                label="Replies"
                noun="replies"
                openAt={firstUnread}
                elementId={itemElementId}
                control={(c) => {
                  list = c;
                }}
                onRangeChange={(r) => markRead(r.end)}
              >
                {(r) => (
                  <>
                    <Show when={marker && r.id === unreadId}>
                      <p class="unread-mark">New since your last visit</p>
                    </Show>
                    <ItemCard
                      item={r}
                      group={runtime()!.group}
                      onQuote={r.deleted ? undefined : setQuoting}
                      onJump={(id) => list?.reveal(id)}
                    />
                  </>
                )}
              </VirtualList>
              <Show when={!t().deleted}>
                <Composer
                  label="Reply"
                  submitLabel="Send"
                  group={runtime()?.group}
                  quoting={quoting()}
                  onCancelQuote={() => setQuoting(undefined)}
                  onSubmit={send}
                />
              </Show>
            </>
          )}
        </Show>
      </main>
    </>
  );
}
