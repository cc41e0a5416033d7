// The Sources tab: the group's library, newest first, narrowed by a tag, with how often each
// source is annotated and cited.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { ItemRow } from '../../components/ItemRow.tsx';
import { ShowMore } from '../../components/ShowMore.tsx';
import { href } from '../../router.ts';
import { usePaged } from '../../state/paged.ts';
import type { TabProps } from '../Feature.ts';
import { newSourceRoute, sourceRoute } from './routes.ts';
import { sourceLine } from './SourceCard.tsx';

export function SourcesList(props: TabProps) {
  const [tag, setTag] = createSignal('');
  const all = createMemo(() => {
    props.handle.version();
    return props.handle.sources.sources();
  });
  const tags = createMemo(() => {
    props.handle.version();
    return props.handle.sources.tags();
  });
  const ids = createMemo(() =>
    all()
      .filter((s) => tag() === '' || s.tags.includes(tag()))
      .map((s) => s.id),
  );
  const page = usePaged(ids);
  const visible = createMemo(() => {
    props.handle.version();
    return page.visible().flatMap((id) => props.handle.sources.source(id) ?? []);
  });
  const groupId = () => props.handle.id;
  return (
    <>
      <div class="actions">
        <a class="button primary" href={href(newSourceRoute, { groupId: groupId() })}>
          Add a source
        </a>
      </div>
      <h2>Sources</h2>
      <Show when={tags().length > 0}>
        <div class="field">
          <label for="source-tag">Tag</label>
          <select id="source-tag" value={tag()} onChange={(e) => setTag(e.currentTarget.value)}>
            <option value="">All tags</option>
            <For each={tags()}>
              {(t) => (
                <option value={t.tag}>
                  {t.tag} ({t.count})
                </option>
              )}
            </For>
          </select>
        </div>
      </Show>
      <Show
        when={ids().length > 0}
        fallback={
          <p class="empty">
            No sources yet. Keep the articles, papers and pages the group reads here, with a quote
            and notes, and cite them in threads and posts.
          </p>
        }
      >
        <ul class="list" aria-label="Sources">
          <For each={visible()}>
            {(s) => {
              const trust = () => props.handle.trust(s.id, s.status);
              return (
                <ItemRow
                  href={href(sourceRoute, { groupId: groupId(), sourceId: s.id })}
                  trust={trust()}
                  title={s.title}
                  hint={
                    <>
                      {sourceLine(s) || (s.authorName ?? 'Unknown member')} · {s.annotationCount}{' '}
                      {s.annotationCount === 1 ? 'note' : 'notes'} · cited {s.citationCount}{' '}
                      {s.citationCount === 1 ? 'time' : 'times'}
                    </>
                  }
                />
              );
            }}
          </For>
        </ul>
        <ShowMore remaining={page.remaining()} step={page.step} noun="sources" onMore={page.more} />
      </Show>
    </>
  );
}
