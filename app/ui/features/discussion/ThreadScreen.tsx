// One discussion thread: its opening message, a window of its replies (a thread of a
// thousand replies builds only what is being read), pinning, and a composer that can answer
// a particular reply. Every card asks for its own check once it is rendered.
import { createMemo, createSignal, Show } from 'solid-js';
import type { ReplyView } from '../../../core/features/discussion/Discussion.ts';
import type { ReadMarker } from '../../../core/group/PersonalState.ts';
import { Composer } from '../../components/Composer.tsx';
import { type CardItem, ItemCard, itemElementId } from '../../components/ItemCard.tsx';
import { NotHere } from '../../components/NotHere.tsx';
import { reuseUnchanged, sameView } from '../../components/renderWindow.ts';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import { VirtualList, type VirtualListControl } from '../../components/VirtualList.tsx';
import { href } from '../../router.ts';
import { groupRoute } from '../../screens/routes.ts';
import { useFirstScreen, useGroup, useHearth } from '../../state/hearthContext.ts';
import { RelatedDecisions } from '../decisions/RelatedDecisions.tsx';
import { pinTrust, togglePin } from '../pins/PinMark.tsx';
import { Citations } from '../sources/LazyCitations.tsx';
import { ThreadOpening } from './Preview.tsx';

export function ThreadScreen(props: { groupId: string; threadId: string }) {
  const hearth = useHearth();
  const first = useFirstScreen(() => props.groupId);
  const handle = useGroup(() => props.groupId);
  const kept = () => (handle.loading ? first()?.open[props.threadId] : undefined);
  // Read once, before this visit moves it, so the thread can open at the first unread reply.
  let marker: ReadMarker | undefined;
  let markerRead = false;
  const readMarker = (): ReadMarker | undefined => {
    const h = handle();
    if (!markerRead && h) {
      marker = h.readMarker(props.threadId);
      markerRead = true;
    }
    return marker;
  };

  const thread = createMemo(() => {
    const h = handle();
    if (!h) return undefined;
    h.version();
    return h.discussion.thread(props.threadId);
  });
  const replies = createMemo<ReplyView[]>((previous) => {
    const h = handle();
    if (!h) return [];
    h.version();
    return reuseUnchanged(previous, h.discussion.replies(props.threadId), sameView);
  }, []);
  const groupName = () => {
    const h = handle();
    if (!h) return hearth.entry(props.groupId)?.name ?? 'Group';
    h.version();
    return h.name();
  };
  const pinned = () => {
    const h = handle();
    if (!h) return false;
    h.version();
    return h.pins.isPinned(props.threadId);
  };

  // Fixed when the list opens, so the "new" marker stays put while reading.
  let unreadId: string | undefined;
  const firstUnread = (): number | undefined => {
    const me = hearth.identity?.id;
    const list = replies();
    const seen = readMarker();
    const i = list.findIndex(
      (r) => r.author !== me && !r.deleted && (!seen || r.createdAt > seen.at),
    );
    unreadId = list[i]?.id;
    return i < 0 ? undefined : i;
  };

  let read: number | undefined;
  const markRead = (upTo: number) => {
    const h = handle();
    if (!h) return;
    read ??= readMarker()?.at ?? -1;
    const list = replies();
    const last = list[Math.min(upTo, list.length) - 1] ?? thread();
    if (!last || last.createdAt <= read) return;
    read = last.createdAt;
    void h.markRead(props.threadId, last.createdAt, last.id);
  };

  const [quoting, setQuoting] = createSignal<CardItem | undefined>();
  const [pinError, setPinError] = createSignal('');
  let list: VirtualListControl | undefined;

  return (
    <>
      <TopBar
        title={groupName()}
        back={href(groupRoute, { groupId: props.groupId })}
        backLabel="Threads"
      />
      <main class="thread-view">
        <p>
          <SyncBadge status={handle()?.syncStatus()} />
        </p>
        <Show
          when={handle() && thread()}
          fallback={
            <Show when={kept()} fallback={<NotHere handle={handle} what="thread" />}>
              {(p) => <ThreadOpening preview={p()} hidden={first()?.hidden ?? {}} />}
            </Show>
          }
        >
          {(t) => {
            const h = () => handle()!;
            const send = (body: string, quoteOf?: string) => {
              h().discussion.reply(props.threadId, body, quoteOf);
              setQuoting(undefined);
              queueMicrotask(() => list?.toEnd());
            };
            return (
              <>
                <div class="thread-head">
                  <h2>{t().deleted ? 'Deleted thread' : t().title}</h2>
                  <Show when={!t().deleted}>
                    <button
                      type="button"
                      class="quiet pin-toggle"
                      aria-pressed={pinned()}
                      onClick={() => togglePin(h(), props.threadId, setPinError)}
                    >
                      <span aria-hidden="true">📌</span> {pinned() ? 'Unpin thread' : 'Pin thread'}
                    </button>
                  </Show>
                </div>
                <Show when={pinned() && !t().deleted}>
                  <p class="pin-marker" data-trust={pinTrust(h(), props.threadId)}>
                    <span aria-hidden="true">📌</span> Pinned: shown first in the thread list{' '}
                    <TrustMark trust={pinTrust(h(), props.threadId)} />
                  </p>
                </Show>
                <Show when={pinError()}>
                  <p class="error" role="alert">
                    {pinError()}
                  </p>
                </Show>
                <ItemCard item={t()} handle={h()} source={h().discussion} word="Message" />
                <Show when={!t().deleted}>
                  <Citations handle={h()} itemId={t().id} />
                  <RelatedDecisions handle={h()} itemId={props.threadId} />
                </Show>
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
                      <Show when={readMarker() && r.id === unreadId}>
                        <p class="unread-mark">New since your last visit</p>
                      </Show>
                      <ItemCard
                        item={r}
                        handle={h()}
                        source={h().discussion}
                        word="Reply"
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
                    handle={h()}
                    quoting={quoting()}
                    onCancelQuote={() => setQuoting(undefined)}
                    onSubmit={send}
                  />
                </Show>
              </>
            );
          }}
        </Show>
      </main>
    </>
  );
}
