// One search over everything the features offer (threads, replies, posts, comments, sources,
// notes on sources, and whatever features add), in one group or across all of them. It works
// offline: the index is built in a worker from what this device holds. Matches are marked
// with <mark>, from segments of plain text (never markup), and results can be narrowed by
// kind and by author.
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import type { Segment } from '../../core/search/SearchIndex.ts';
import { dateFormat } from '../components/dates.ts';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { placeHref } from '../routes.tsx';
import { groupRoute, homeRoute } from '../screens/routes.ts';
import type { GroupHandle } from '../state/GroupHandle.ts';
import { useHandles } from '../state/hearthContext.ts';
import { searchClient } from './searchClient.ts';

/** What each kind is called in filters and results; kinds not listed show as they are. */
const KINDS: Record<string, string> = {
  thread: 'Threads',
  reply: 'Replies',
  post: 'Posts',
  comment: 'Comments',
  source: 'Sources',
  annotation: 'Notes on sources',
  note: 'Notes',
  proposal: 'Proposals',
  poll: 'Polls',
};
const ONE: Record<string, string> = {
  thread: 'Thread',
  reply: 'Reply',
  post: 'Post',
  comment: 'Comment',
  source: 'Source',
  annotation: 'Note on a source',
  note: 'Note',
  proposal: 'Proposal',
  poll: 'Poll',
};

function Marked(props: { segments: readonly Segment[] }) {
  return <For each={props.segments}>{(s) => (s.hit ? <mark>{s.text}</mark> : s.text)}</For>;
}

export function SearchScreen(props: { groupId?: string }) {
  const handles = useHandles();
  const client = searchClient();
  const [groups] = createResource(
    () => props.groupId ?? '*',
    async (scope): Promise<GroupHandle[]> => {
      if (scope === '*') return handles.all();
      const h = await handles.open(scope);
      return h ? [h] : [];
    },
  );
  const [ready] = createResource(groups, async (hs) => {
    await Promise.all(hs.map((h) => client.attach(h)));
    return true;
  });
  const [query, setQuery] = createSignal('');
  const [kinds, setKinds] = createSignal<readonly string[]>([]);
  const [author, setAuthor] = createSignal('');
  const [hits, setHits] = createSignal<Awaited<ReturnType<typeof client.search>>>([]);
  const [searched, setSearched] = createSignal('');

  const version = () => {
    for (const h of groups() ?? []) h.version();
  };
  const members = createMemo(() => {
    version();
    const seen = new Map<string, string>();
    for (const h of groups() ?? []) for (const m of h.members()) seen.set(m.id, m.name);
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  });
  const nameOf = (groupId: string) =>
    (groups() ?? []).find((h) => h.id === groupId)?.name() ?? 'Group';

  // Latest query wins: an answer to an older one is dropped.
  let asked = 0;
  createEffect(
    on([query, kinds, author, ready, () => version()], () => {
      const q = query();
      const n = ++asked;
      if (!ready() || q.trim() === '') {
        setHits([]);
        setSearched('');
        return;
      }
      const filter = {
        ...(props.groupId ? { groupId: props.groupId } : {}),
        ...(kinds().length > 0 ? { kinds: kinds() } : {}),
        ...(author() ? { author: author() } : {}),
      };
      void client.search(q, filter).then((found) => {
        if (n !== asked) return;
        setHits(found);
        setSearched(q);
      });
    }),
  );

  // Today's kinds always; those of features still to come once results hold them.
  const shownKinds = createMemo(() => {
    const present = new Set(hits().map((h) => h.doc.kind));
    return Object.keys(KINDS).filter((k, i) => i < 6 || present.has(k) || kinds().includes(k));
  });
  const toggleKind = (k: string, on: boolean) =>
    setKinds((ks) => (on ? [...ks, k] : ks.filter((x) => x !== k)));
  const back = () =>
    props.groupId ? href(groupRoute, { groupId: props.groupId }) : href(homeRoute);
  const title = () => (props.groupId ? `Search ${nameOf(props.groupId)}` : 'Search all groups');

  return (
    <>
      <TopBar title={title()} back={back()} />
      <main>
        <form class="search-form" onSubmit={(e) => e.preventDefault()}>
          <label for="search-query">Search</label>
          <input
            id="search-query"
            type="search"
            autocomplete="off"
            enterkeyhint="search"
            value={query()}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <fieldset class="search-filters">
            <legend class="visually-hidden">Kinds</legend>
            <For each={shownKinds()}>
              {(k) => (
                <label>
                  <input
                    type="checkbox"
                    checked={kinds().includes(k)}
                    onChange={(e) => toggleKind(k, e.currentTarget.checked)}
                  />
                  {KINDS[k]}
                </label>
              )}
            </For>
          </fieldset>
          <div class="field">
            <label for="search-author">Written by</label>
            <select
              id="search-author"
              value={author()}
              onChange={(e) => setAuthor(e.currentTarget.value)}
            >
              <option value="">Anyone</option>
              <For each={members()}>{([id, name]) => <option value={id}>{name}</option>}</For>
            </select>
          </div>
        </form>
        <p class="hint" role="status">
          {!ready()
            ? 'Getting search ready…'
            : searched() === ''
              ? 'Type to search. Search runs on this device, offline too.'
              : hits().length === 0
                ? `Nothing found for “${searched()}”.`
                : `${hits().length === 50 ? '50+' : hits().length} ${hits().length === 1 ? 'result' : 'results'} for “${searched()}”`}
        </p>
        <Show when={hits().length > 0}>
          <ol class="list" aria-label="Results">
            <For each={hits()}>
              {(hit) => (
                <li class="search-result">
                  <a class="row-link" href={placeHref(hit.doc.place) ?? back()}>
                    <span class="grow">
                      <Show when={hit.title.length > 0}>
                        <span class="title">
                          <Marked segments={hit.title} />
                        </span>
                      </Show>
                      <span class="snippet">
                        <Marked segments={hit.snippet} />
                      </span>
                      <span class="hint">
                        {ONE[hit.doc.kind] ?? hit.doc.kind} ·{' '}
                        {hit.doc.authorName ?? 'Unknown member'} ·{' '}
                        <time datetime={new Date(hit.doc.createdAt).toISOString()}>
                          {dateFormat.format(hit.doc.createdAt)}
                        </time>
                        <Show when={!props.groupId}> · {nameOf(hit.groupId)}</Show>
                      </span>
                    </span>
                  </a>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </main>
    </>
  );
}
