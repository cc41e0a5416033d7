import { createMemo, createResource, Show } from 'solid-js';
import type { MentionTarget } from '../../core/text/mentions.ts';

// The renderer (markdown-it) loads on first use, so the first screen stays small; until it
// arrives the text shows as plain, escaped text.
const [renderer] = createResource(
  async () => (await import('../../core/text/markdown.ts')).renderMarkdown,
);

/**
 * Member-written markdown, rendered by the core's safe renderer (raw HTML off, safe link
 * protocols only, no remote images) and only then handed to the DOM.
 */
export function Markdown(props: {
  source: string;
  mentions?: readonly MentionTarget[];
  me?: string;
}) {
  const html = createMemo(() => {
    const render = renderer();
    if (!render) return null;
    return render(props.source, {
      ...(props.mentions ? { mentions: props.mentions } : {}),
      ...(props.me ? { me: props.me } : {}),
    });
  });
  return (
    <Show when={html()} fallback={<div class="markdown plain">{props.source}</div>}>
      {(h) => <div class="markdown" innerHTML={h()} />}
    </Show>
  );
}
