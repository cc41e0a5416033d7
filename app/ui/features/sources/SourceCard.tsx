// The small card a citation shows: the source's title (to its page in the library), its
// authors, date and site. Member-written text goes in as text, never as markup.
import { For, Show } from 'solid-js';
import type { SourceView } from '../../../core/features/sources/Sources.ts';
import { href } from '../../router.ts';
import { hostOf } from './links.ts';
import { sourceRoute } from './routes.ts';

export function sourceLine(s: SourceView): string {
  const authors = s.authors.length > 2 ? `${s.authors[0]} et al.` : s.authors.join(' and ');
  return [authors, s.date, hostOf(s.url, s.doi)].filter((x) => x).join(' · ');
}

export function SourceCard(props: { groupId: string; source: SourceView; children?: unknown }) {
  return (
    <div class="source-card">
      <a
        class="source-title"
        href={href(sourceRoute, { groupId: props.groupId, sourceId: props.source.id })}
      >
        {props.source.title}
      </a>
      <Show when={sourceLine(props.source)}>
        <span class="hint">{sourceLine(props.source)}</span>
      </Show>
      {props.children as never}
    </div>
  );
}

/** The sources that share a link or DOI with another, as a notice with links to each. */
export function Duplicates(props: {
  groupId: string;
  sources: readonly SourceView[];
  intro: string;
}) {
  return (
    <Show when={props.sources.length > 0}>
      <div class="notice" role="status">
        <p>{props.intro}</p>
        <ul>
          <For each={props.sources}>
            {(d) => (
              <li>
                <a href={href(sourceRoute, { groupId: props.groupId, sourceId: d.id })}>
                  {d.title}
                </a>{' '}
                <span class="hint">added by {d.authorName ?? 'Unknown member'}</span>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}
