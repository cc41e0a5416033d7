import { createMemo } from 'solid-js';
import type { MentionTarget } from '../../core/text/markdown.ts';
import { renderMarkdown } from '../../core/text/markdown.ts';

/**
 * Member-written markdown, rendered by the core's safe renderer (raw HTML off, safe link
 * protocols only, no remote images) and only then handed to the DOM.
 */
export function Markdown(props: {
  source: string;
  mentions?: readonly MentionTarget[];
  me?: string;
}) {
  const html = createMemo(() =>
    renderMarkdown(props.source, {
      ...(props.mentions ? { mentions: props.mentions } : {}),
      ...(props.me ? { me: props.me } : {}),
    }),
  );
  return <div class="markdown" innerHTML={html()} />;
}
