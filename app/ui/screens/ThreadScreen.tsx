import { createEffect, createMemo, createResource, createSignal, For, Show } from 'solid-js';
import type { ItemView } from '../../core/group/views.ts';
import { Markdown } from '../components/Markdown.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { useGroup, useHearth } from '../state/hearthContext.ts';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One thread: its opening message, the replies in order, and a composer. */
export function ThreadScreen(props: { groupId: string; threadId: string }) {
  const hearth = useHearth();
  const { runtime, version, status } = useGroup(() => props.groupId);
  const thread = createMemo(() => {
    version();
    return runtime()?.group.thread(props.threadId);
  });
  const replies = createMemo(() => {
    version();
    return runtime()?.group.replies(props.threadId) ?? [];
  });
  const [checks] = createResource(
    () => {
      const rt = runtime();
      const t = thread();
      return rt && t ? { rt, ids: [t.id, ...replies().map((r) => r.id)] } : null;
    },
    ({ rt, ids }) => rt.group.verify(ids),
  );
  createEffect(() => {
    const last = replies().at(-1) ?? thread();
    if (last) void hearth.markRead(props.groupId, props.threadId, last.createdAt, last.id);
  });

  const [draft, setDraft] = createSignal('');
  const [error, setError] = createSignal('');
  const send = (e: Event) => {
    e.preventDefault();
    const rt = runtime();
    if (!rt || !draft().trim()) return;
    try {
      rt.group.reply(hearth.me, props.threadId, draft());
      setDraft('');
      setError('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const Item = (p: { item: ItemView }) => {
    const check = () => checks()?.get(p.item.id);
    const warning = () =>
      check() === 'forged'
        ? 'Warning: the signature does not match the claimed author. This may be forged.'
        : check() === 'not-a-member'
          ? 'Warning: written by someone who is not a member of this group.'
          : '';
    return (
      <article
        class="message"
        classList={{ warning: !!warning() }}
        aria-label={`${p.item.authorName ?? 'Unknown'}'s message`}
      >
        <header>
          <span class="author">{p.item.authorName ?? 'Unknown member'}</span>
          <time datetime={new Date(p.item.createdAt).toISOString()}>
            {time.format(p.item.createdAt)}
          </time>
          <Show when={p.item.editedAt}>
            <span>edited</span>
          </Show>
        </header>
        <Show when={warning()}>
          <p class="forgery" role="alert">
            {warning()}
          </p>
        </Show>
        <Show when={!p.item.deleted} fallback={<p class="tombstone">Deleted by its author.</p>}>
          <Markdown
            source={p.item.body}
            mentions={runtime()?.group.mentionTargets(p.item) ?? []}
            me={hearth.identity?.id ?? ''}
          />
        </Show>
      </article>
    );
  };

  return (
    <>
      <TopBar
        title={runtime()?.group.info().name || runtime()?.entry.name || 'Group'}
        back={href.group(props.groupId)}
        backLabel="Threads"
      />
      <main>
        <p>
          <SyncBadge status={status()} />
        </p>
        <Show
          when={thread()}
          fallback={
            <p class="empty">
              {runtime.loading ? 'Opening…' : 'This thread has not arrived on this device yet.'}
            </p>
          }
        >
          {(t) => (
            <>
              <h2>{t().deleted ? 'Deleted thread' : t().title}</h2>
              <Item item={t()} />
              <h3 class="visually-hidden">Replies</h3>
              <ol class="list" aria-label="Replies">
                <For each={replies()}>
                  {(r) => (
                    <li>
                      <Item item={r} />
                    </li>
                  )}
                </For>
              </ol>
              <form class="composer" onSubmit={send}>
                <label class="visually-hidden" for="reply-body">
                  Reply
                </label>
                <textarea
                  id="reply-body"
                  rows={2}
                  value={draft()}
                  onInput={(e) => setDraft(e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
                  }}
                />
                <button class="primary" type="submit" disabled={!draft().trim()}>
                  Send
                </button>
              </form>
              <p class="error" role="alert">
                {error()}
              </p>
            </>
          )}
        </Show>
      </main>
    </>
  );
}
