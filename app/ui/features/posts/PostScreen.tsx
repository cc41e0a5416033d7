// One post: its title, where it came from when it was shared, the body with its reactions
// (an ItemCard, which also asks for its check), the comments with a composer, and the
// member's actions on it: pin, share to another group, edit and delete for its author.
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import type { CommentView } from '../../../core/features/posts/Posts.ts';
import { Composer } from '../../components/Composer.tsx';
import { type CardItem, ItemCard, itemElementId } from '../../components/ItemCard.tsx';
import { NotHere } from '../../components/NotHere.tsx';
import { reuseUnchanged, sameView } from '../../components/renderWindow.ts';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import { href } from '../../router.ts';
import { useGroup, useHearth } from '../../state/hearthContext.ts';
import { RelatedDecisions } from '../decisions/RelatedDecisions.tsx';
import { PinMark, togglePin } from '../pins/PinMark.tsx';
import { Citations } from '../sources/LazyCitations.tsx';
import { postsRoute } from './routes.ts';
import { ShareDialog } from './ShareDialog.tsx';

export function PostScreen(props: { groupId: string; postId: string }) {
  const hearth = useHearth();
  const handle = useGroup(() => props.groupId);
  const post = createMemo(() => {
    const h = handle();
    if (!h) return undefined;
    h.version();
    return h.posts.post(props.postId);
  });
  const comments = createMemo<CommentView[]>((previous) => {
    const h = handle();
    if (!h) return [];
    h.version();
    return reuseUnchanged(previous, h.posts.comments(props.postId), sameView);
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
    return h.pins.isPinned(props.postId);
  };

  // Reading is recorded privately (PersonalState), up to the newest comment on screen.
  createEffect(() => {
    const h = handle();
    const last = comments().at(-1) ?? post();
    if (h && last) void h.markRead(props.postId, last.createdAt, last.id);
  });

  const [quoting, setQuoting] = createSignal<CardItem | undefined>();
  const [sharing, setSharing] = createSignal(false);
  const [error, setError] = createSignal('');
  const jump = (id: string) => {
    const el = document.getElementById(itemElementId(id));
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };

  return (
    <>
      <TopBar
        title={groupName()}
        back={href(postsRoute, { groupId: props.groupId })}
        backLabel="Posts"
      />
      <main>
        <p>
          <SyncBadge status={handle()?.syncStatus()} />
        </p>
        <Show when={handle() && post()} fallback={<NotHere handle={handle} what="post" />}>
          {(_) => {
            const p = () => post()!;
            const h = () => handle()!;
            const trust = () => h().trust(p().id, p().status);
            return (
              <>
                <h2 class="post-title">
                  <PinMark handle={h()} itemId={p().id} />
                  {p().deleted ? 'Deleted post' : p().title}
                </h2>
                <ItemCard item={p()} handle={h()} source={h().posts} word="Post">
                  <Show when={p().sharedFrom}>
                    {(s) => (
                      <p class="shared-from" data-trust={trust()}>
                        Shared from {s().groupName} · originally by {s().authorName}
                        <Show when={trust() !== 'valid'}>
                          {' '}
                          <TrustMark trust={trust()} />
                        </Show>
                      </p>
                    )}
                  </Show>
                </ItemCard>
                <Show when={!p().deleted}>
                  <Citations handle={h()} itemId={p().id} />
                  <div class="actions">
                    <button type="button" onClick={() => setSharing(true)}>
                      Share to another group
                    </button>
                    <button
                      type="button"
                      class="quiet"
                      onClick={() => togglePin(h(), p().id, setError)}
                    >
                      {pinned() ? 'Unpin' : 'Pin to top'}
                    </button>
                  </div>
                  <ShareDialog
                    fromGroupId={props.groupId}
                    postId={props.postId}
                    open={sharing()}
                    onClose={() => setSharing(false)}
                  />
                  <RelatedDecisions handle={h()} itemId={props.postId} />
                </Show>
                <p class="error" role="alert">
                  {error()}
                </p>
                <section aria-labelledby="comments-title">
                  <h3 id="comments-title">
                    {p().commentCount === 1 ? '1 comment' : `${p().commentCount} comments`}
                  </h3>
                  <Show
                    when={comments().length > 0}
                    fallback={<p class="hint">No comments yet. Say what you think.</p>}
                  >
                    <ol class="list" aria-label="Comments">
                      <For each={comments()}>
                        {(c) => (
                          <li>
                            <ItemCard
                              item={c}
                              handle={h()}
                              source={h().posts}
                              word="Comment"
                              onQuote={setQuoting}
                              onJump={jump}
                            />
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                  <Show when={!p().deleted}>
                    <Composer
                      label="Comment"
                      submitLabel="Send"
                      handle={h()}
                      quoting={quoting()}
                      onCancelQuote={() => setQuoting(undefined)}
                      onSubmit={(body, quoteOf) => {
                        h().posts.comment(props.postId, body, quoteOf);
                        setQuoting(undefined);
                      }}
                    />
                  </Show>
                </section>
              </>
            );
          }}
        </Show>
      </main>
    </>
  );
}
