import { createMemo, createSignal, Show } from 'solid-js';
import type { NoteLinkTarget, renderMarkdown } from '../../core/text/markdown.ts';
import type { MentionTarget } from '../../core/text/mentions.ts';

// The renderer (markdown-it) loads when the first message is shown, not at start-up, so
// screens without member text never fetch it; until it arrives the text shows as plain,
// escaped text.
const [renderer, setRenderer] = createSignal<typeof renderMarkdown | null>(null);
let requested = false;
function loadRenderer(): void {
  if (requested) return;
  requested = true;
  import('../../core/text/markdown.ts').then(
    (m) => void setRenderer(() => m.renderMarkdown),
    () => {
      requested = false; // offline before the chunk was cached: try again next time
    },
  );
}

/**
 * Member-written markdown, rendered by the core's safe renderer (raw HTML off, safe link
 * protocols only, no remote images) and only then handed to the DOM.
 */
export function Markdown(props: {
  source: string;
  mentions?: readonly MentionTarget[];
  me?: string;
  /** Where `[[Page title]]` leads (features/notes/noteLinks.ts); plain text without it. */
  noteLink?: ((title: string) => NoteLinkTarget) | undefined;
}) {
  loadRenderer();
  const html = createMemo(() => {
    const render = renderer();
    if (!render) return null;
    return render(props.source, {
      ...(props.mentions ? { mentions: props.mentions } : {}),
      ...(props.me ? { me: props.me } : {}),
      ...(props.noteLink ? { noteLink: props.noteLink } : {}),
    });
  });
  return (
    <Show when={html()} fallback={<div class="markdown plain">{props.source}</div>}>
      {(h) => <div class="markdown" innerHTML={h()} />}
    </Show>
  );
}
