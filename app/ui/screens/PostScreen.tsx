// One post: its title, where it came from when it was shared, the body with its reactions
// (an ItemCard, which also checks the signature), the comments with a composer, and the
// member's actions on it: pin, share to another group, edit and delete for its author.
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import type { ItemView } from '../../core/group/views.ts';
import { Composer } from '../components/Composer.tsx';
import { ItemCard, itemElementId } from '../components/ItemCard.tsx';
import { ShareDialog } from '../components/ShareDialog.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useGroup, useHearth } from '../state/hearthContext.ts';

export function PostScreen(props: { groupId: string; postId: string }) {
  const hearth = useHearth();
  const { runtime, version, status } = useGroup(() => props.groupId);
  const post = createMemo(() => {
    version();
    return runtime()?.group.post(props.postId);
  });
  const comments = createMemo(() => {
    version();
    return runtime()?.group.comments(props.postId) ?? [];
  });
  const groupName = () => {
    version();
    return runtime()?.group.info().name || runtime()?.entry.name || 'Group';
  };

  // Reading is recorded privately (PersonalState), up to the newest comment on screen.
  createEffect(() => {
    const last = comments().at(-1) ?? post();
    if (last) void hearth.markRead(props.groupId, props.postId, last.createdAt, last.id);
  });

  const [quoting, setQuoting] = createSignal<ItemView | undefined>();
  const [sharing, setSharing] = createSignal(false);
  const [error, setError] = createSignal('');
  const jump = (id: string) => {
    const el = document.getElementById(itemElementId(id));
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };
  const togglePin = () => {
    const rt = runtime();
    const p = post();
    if (!rt || !p) return;
    try {
      rt.group.pin(hearth.me, p.id, !p.pinned);
      setError('');
    } catch (err) {
      setError(messageFor(err));
    }
  };

  return (
    <>
      <TopBar title={groupName()} back={href.posts(props.groupId)} backLabel="Posts" />
      <main>
        <p>
          <SyncBadge status={status()} />
        </p>
        <Show
          when={runtime() && post()}
          fallback={
            <p class="empty">
              {runtime.loading
                ? 'Opening…'
                : runtime() === null
                  ? 'This device is not in that group. Ask a member for an invite link.'
                  : 'This post has not arrived on this device yet. It will appear once a member who has it is online or the relay delivers it.'}
            </p>
          }
        >
          {(_) => {
            const p = () => post()!;
            const group = () => runtime()!.group;
            return (
              <>
                <h2 class="post-title">
                  {p().pinned ? '📌 ' : ''}
                  {p().deleted ? 'Deleted post' : p().title}
                </h2>
                <ItemCard item={p()} group={group()}>
                  <Show when={p().sharedFrom}>
                    {(s) => (
                      <p class="shared-from">
                        Shared from {s().groupName} · originally by {s().authorName}
                      </p>
                    )}
                  </Show>
                </ItemCard>
                <Show when={!p().deleted}>
                  <div class="actions">
                    <button type="button" onClick={() => setSharing(true)}>
                      Share to another group
                    </button>
                    <button type="button" class="quiet" onClick={togglePin}>
                      {p().pinned ? 'Unpin' : 'Pin to top'}
                    </button>
                  </div>
                  <ShareDialog
                    fromGroupId={props.groupId}
                    postId={props.postId}
                    open={sharing()}
                    onClose={() => setSharing(false)}
                  />
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
                            <ItemCard item={c} group={group()} onQuote={setQuoting} onJump={jump} />
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                  <Show when={!p().deleted}>
                    <Composer
                      label="Comment"
                      submitLabel="Send"
                      group={group()}
                      quoting={quoting()}
                      onCancelQuote={() => setQuoting(undefined)}
                      onSubmit={(body, quoteOf) => {
                        group().comment(hearth.me, props.postId, body, quoteOf);
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
