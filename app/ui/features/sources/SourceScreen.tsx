// One source: its details and link, the excerpt, where the group cites it, and members'
// annotations (each the member's own signed record) with a composer. Its author may delete it.
import { createMemo, For, Show } from 'solid-js';
import type { SearchDoc } from '../../../core/features/Feature.ts';
import type { AnnotationView } from '../../../core/features/sources/Sources.ts';
import { Composer, firstLine } from '../../components/Composer.tsx';
import { dateFormat } from '../../components/dates.ts';
import { ItemCard, type ItemSource } from '../../components/ItemCard.tsx';
import { reuseUnchanged, sameView } from '../../components/renderWindow.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import { href, navigate } from '../../router.ts';
import { placeHref } from '../../routes.tsx';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useGroup } from '../../state/hearthContext.ts';
import { hostOf, safeHref } from './links.ts';
import { sourcesRoute } from './routes.ts';
import { Duplicates } from './SourceCard.tsx';

const KIND_WORDS: Record<string, string> = {
  thread: 'Thread',
  reply: 'Reply',
  post: 'Post',
  comment: 'Comment',
};

/** How a citing item reads in "Cited in": its title, else its kind, author and first words. */
function citedInLabel(doc: SearchDoc): string {
  if (doc.title) return doc.title;
  const word = KIND_WORDS[doc.kind] ?? 'Item';
  return `${word} by ${doc.authorName ?? 'Unknown member'}: “${firstLine(doc.text, 60)}”`;
}

const annotationSource = (h: GroupHandle): ItemSource => ({
  item: (id) => h.sources.item(id),
  edit: (id, patch) => h.sources.editAnnotation(id, patch.body ?? ''),
  remove: (id) => h.sources.remove(id),
});

export function SourceScreen(props: { groupId: string; sourceId: string }) {
  const handle = useGroup(() => props.groupId);
  const source = createMemo(() => {
    const h = handle();
    if (!h) return undefined;
    h.version();
    return h.sources.source(props.sourceId);
  });
  const annotations = createMemo<AnnotationView[]>((previous) => {
    const h = handle();
    if (!h) return [];
    h.version();
    return reuseUnchanged(previous, h.sources.annotations(props.sourceId), sameView);
  }, []);
  const citedIn = createMemo(() => {
    const h = handle();
    if (!h) return [];
    h.version();
    return h.sources.citationsOf(props.sourceId).map((c) => ({
      c,
      doc: h.searchDocs(new Set([c.from]))[0],
    }));
  });
  const back = () => href(sourcesRoute, { groupId: props.groupId });

  return (
    <>
      <TopBar title="Source" back={back()} backLabel="Sources" />
      <main>
        <Show
          when={handle() && source()}
          fallback={
            <p class="empty">
              {handle.loading
                ? 'Opening…'
                : handle() === null
                  ? 'This device is not in that group. Ask a member for an invite link.'
                  : 'This source has not arrived on this device yet.'}
            </p>
          }
        >
          {(_) => {
            const s = () => source()!;
            const h = () => handle()!;
            const trust = () => h().trust(s().id, s().status);
            const link = () => safeHref(s().url, s().doi);
            return (
              <Show
                when={!s().deleted}
                fallback={<p class="empty">This source was deleted from the library.</p>}
              >
                <article class="source" data-trust={trust()}>
                  <h2>{s().title}</h2>
                  <p class="hint">
                    Added by {s().authorName ?? 'Unknown member'} ·{' '}
                    <time datetime={new Date(s().createdAt).toISOString()}>
                      {dateFormat.format(s().createdAt)}
                    </time>{' '}
                    <TrustMark trust={trust()} />
                  </p>
                  <dl class="source-details">
                    <Show when={s().authors.length > 0}>
                      <dt>Authors</dt>
                      <dd>{s().authors.join(', ')}</dd>
                    </Show>
                    <Show when={s().date}>
                      <dt>Date</dt>
                      <dd>{s().date}</dd>
                    </Show>
                    <Show when={link()}>
                      <dt>Link</dt>
                      <dd>
                        <a href={link()} rel="noopener noreferrer nofollow" target="_blank">
                          {hostOf(s().url, s().doi)}
                        </a>
                      </dd>
                    </Show>
                    <Show when={s().doi}>
                      <dt>DOI</dt>
                      <dd>{s().doi}</dd>
                    </Show>
                    <Show when={s().tags.length > 0}>
                      <dt>Tags</dt>
                      <dd>
                        {s()
                          .tags.map((t) => `#${t}`)
                          .join(' ')}
                      </dd>
                    </Show>
                  </dl>
                  <Duplicates
                    groupId={props.groupId}
                    sources={h().sources.duplicatesOf(s(), s().id)}
                    intro="The library has this link more than once (added on two devices):"
                  />
                  <Show when={s().excerpt}>
                    <blockquote class="excerpt">{s().excerpt}</blockquote>
                  </Show>
                  <Show when={s().author === h().me() && trust() === 'valid'}>
                    <div class="actions">
                      <button
                        type="button"
                        class="quiet"
                        onClick={() => {
                          if (!confirm('Delete this source from the library for everyone?')) return;
                          try {
                            h().sources.remove(s().id);
                            navigate(back(), { replace: true });
                          } catch (err) {
                            alert(messageFor(err));
                          }
                        }}
                      >
                        Delete source
                      </button>
                    </div>
                  </Show>
                </article>
                <section aria-labelledby="cited-in-title">
                  <h3 id="cited-in-title">Cited in</h3>
                  <Show
                    when={citedIn().length > 0}
                    fallback={
                      <p class="hint">
                        Not cited yet. Cite it from a thread or post with “Cite a source”.
                      </p>
                    }
                  >
                    <ul class="list" aria-label="Cited in">
                      <For each={citedIn()}>
                        {({ c, doc }) => {
                          const to = doc && placeHref(doc.place);
                          return (
                            <li>
                              <Show
                                when={doc && to}
                                fallback={<span>An item that was deleted</span>}
                              >
                                <a href={to}>{citedInLabel(doc!)}</a>
                              </Show>{' '}
                              <span class="hint">cited by {c.authorName ?? 'Unknown member'}</span>
                            </li>
                          );
                        }}
                      </For>
                    </ul>
                  </Show>
                </section>
                <section aria-labelledby="annotations-title">
                  <h3 id="annotations-title">Notes on this source</h3>
                  <Show
                    when={annotations().length > 0}
                    fallback={<p class="hint">No notes yet. What did you take from it?</p>}
                  >
                    <ol class="list" aria-label="Notes on this source">
                      <For each={annotations()}>
                        {(a) => (
                          <li>
                            <ItemCard
                              item={a}
                              handle={h()}
                              source={annotationSource(h())}
                              word="Note"
                            />
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                  <Composer
                    label="Note"
                    submitLabel="Add note"
                    handle={h()}
                    onSubmit={(body) => {
                      h().sources.annotate(props.sourceId, body);
                    }}
                  />
                </section>
              </Show>
            );
          }}
        </Show>
      </main>
    </>
  );
}
