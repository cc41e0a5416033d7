// Adding a source: paste a BibTeX entry or a formatted citation to fill the form (read here,
// nothing is fetched), or type it in. A link or DOI the library already has is shown before
// adding, with the choice to open it instead or add anyway.
import { createMemo, createSignal, Show } from 'solid-js';
import { parseCitation } from '../../../core/features/sources/parse.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { href, navigate } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useGroup } from '../../state/hearthContext.ts';
import { sourceRoute, sourcesRoute } from './routes.ts';
import { Duplicates } from './SourceCard.tsx';

const list = (s: string, sep: RegExp): string[] =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter((x) => x !== '');

export function NewSource(props: { groupId: string }) {
  const handle = useGroup(() => props.groupId);
  const [pasted, setPasted] = createSignal('');
  const [url, setUrl] = createSignal('');
  const [doi, setDoi] = createSignal('');
  const [title, setTitle] = createSignal('');
  const [authors, setAuthors] = createSignal('');
  const [date, setDate] = createSignal('');
  const [excerpt, setExcerpt] = createSignal('');
  const [tags, setTags] = createSignal('');
  const [error, setError] = createSignal('');
  const [note, setNote] = createSignal('');

  const duplicates = createMemo(() => {
    const h = handle();
    if (!h) return [];
    h.version();
    return h.sources.duplicatesOf({ url: url(), doi: doi() });
  });

  const importPasted = () => {
    const f = parseCitation(pasted());
    if (Object.keys(f).length === 0) {
      setNote('Nothing could be read from that. Paste a BibTeX entry, a reference or a DOI.');
      return;
    }
    if (f.url) setUrl(f.url);
    if (f.doi) setDoi(f.doi);
    if (f.title) setTitle(f.title);
    if (f.authors) setAuthors(f.authors.join('\n'));
    if (f.date) setDate(f.date);
    if (f.excerpt) setExcerpt(f.excerpt);
    if (f.tags) setTags(f.tags.join(', '));
    setNote(
      f.title
        ? 'Filled in from what you pasted. Check it before adding.'
        : 'Found a link; add a title.',
    );
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const h = handle();
      if (!h) {
        setError('This group is still opening. Try again in a moment.');
        return;
      }
      const id = h.sources.addSource(
        {
          title: title(),
          url: url(),
          doi: doi(),
          authors: list(authors(), /\n|;/u),
          date: date(),
          excerpt: excerpt(),
          tags: list(tags(), /,/u),
        },
        duplicates().length > 0,
      );
      navigate(href(sourceRoute, { groupId: props.groupId, sourceId: id }), { replace: true });
    } catch (err) {
      setError(messageFor(err));
    }
  };

  const field = (
    id: string,
    label: string,
    value: () => string,
    set: (v: string) => void,
    hint?: string,
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value()} onInput={(e) => set(e.currentTarget.value)} />
      <Show when={hint}>
        <p class="hint">{hint}</p>
      </Show>
    </div>
  );

  return (
    <>
      <TopBar title="Add a source" back={href(sourcesRoute, { groupId: props.groupId })} />
      <main>
        <details class="import">
          <summary>Import from BibTeX or a citation</summary>
          <div class="field">
            <label for="source-paste">Paste a BibTeX entry, a reference or a DOI</label>
            <textarea
              id="source-paste"
              rows={4}
              value={pasted()}
              onInput={(e) => setPasted(e.currentTarget.value)}
            />
            <p class="hint">It is read on this device; no page is fetched.</p>
          </div>
          <button type="button" onClick={importPasted} disabled={!pasted().trim()}>
            Fill in the form
          </button>
          <p class="hint" role="status">
            {note()}
          </p>
        </details>
        <form onSubmit={submit}>
          {field('source-url', 'Link', url, setUrl)}
          <Duplicates
            groupId={props.groupId}
            sources={duplicates()}
            intro="Already in the library:"
          />
          {field('source-title', 'Title', title, setTitle)}
          <div class="field">
            <label for="source-authors">Authors</label>
            <textarea
              id="source-authors"
              rows={2}
              value={authors()}
              onInput={(e) => setAuthors(e.currentTarget.value)}
            />
            <p class="hint">One per line.</p>
          </div>
          {field('source-date', 'Date', date, setDate, 'For example 2021 or 2021-03-05.')}
          {field('source-doi', 'DOI', doi, setDoi)}
          <div class="field">
            <label for="source-excerpt">Excerpt or quote</label>
            <textarea
              id="source-excerpt"
              rows={4}
              value={excerpt()}
              onInput={(e) => setExcerpt(e.currentTarget.value)}
            />
          </div>
          {field('source-tags', 'Tags', tags, setTags, 'Separated by commas.')}
          <p class="error" role="alert">
            {error()}
          </p>
          <button class="primary" type="submit" disabled={!title().trim()}>
            {duplicates().length > 0 ? 'Add anyway' : 'Add source'}
          </button>
        </form>
      </main>
    </>
  );
}
