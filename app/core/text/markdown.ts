// Members' markdown is untrusted input rendered into the page, so the renderer is configured
// to emit only a small, known set of tags and attributes: no raw HTML, only http/https/mailto
// links, no remote image loads (an <img> would leak readers' IP addresses), no id/name/style.

import type { Env, StateCore, StateInline, Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import { type MentionTarget, matchMentionAt, sortTargets, WORD_CHAR } from './mentions.ts';

export { findMentions, type MentionTarget } from './mentions.ts';

export interface RenderOptions {
  /** Members this text mentions (usually the item's resolved `mentions`). */
  readonly mentions?: readonly MentionTarget[];
  /** The reader's member id: mentions of them get the extra class `mention-me`. */
  readonly me?: string;
  /**
   * Where a `[[Page title]]` leads (features/notes): an in-app `#/` link and the text to show.
   * Without it, `[[…]]` stays plain text.
   */
  readonly noteLink?: (title: string) => NoteLinkTarget;
}

/** A `[[title]]` link's target; `missing` when no note has that title yet. */
export interface NoteLinkTarget {
  readonly href: string;
  readonly label: string;
  readonly missing: boolean;
}

const LINK_REL = 'noopener noreferrer nofollow';
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
const SAFE_IMAGE = /^https?:\/\//i;

interface MentionEnv extends Env {
  hearthTargets?: readonly MentionTarget[];
  hearthMe?: string;
  hearthFound?: string[];
  hearthNoteLink?: (title: string) => NoteLinkTarget;
}

const md = new MarkdownIt('default', {
  html: false,
  linkify: true,
  typographer: false,
  breaks: true,
});

md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
md.inline.ruler.before('emphasis', 'hearth_mention', mentionRule);
md.inline.ruler.before('link', 'hearth_note_link', noteLinkRule);
md.core.ruler.push('hearth_safety', safetyRule);

const escapeHtml = (s: string): string => md.utils.escapeHtml(s);

md.renderer.rules.hearth_mention = (tokens, idx) => {
  const t = tokens[idx]!;
  const meta = t.meta as { id: string; me: boolean };
  const cls = meta.me ? 'mention mention-me' : 'mention';
  return `<span class="${cls}" data-member="${escapeHtml(meta.id)}">${escapeHtml(t.content)}</span>`;
};

md.renderer.rules.hearth_note_link = (tokens, idx) => {
  const meta = tokens[idx]!.meta as unknown as NoteLinkTarget;
  // Only in-app links: whatever the resolver returns, nothing else becomes an href.
  if (!/^#\/[^\s"'<>]*$/.test(meta.href)) return escapeHtml(`[[${meta.label}]]`);
  const cls = meta.missing ? 'note-link missing' : 'note-link';
  const hint = meta.missing ? ' title="Not written yet: open to start it"' : '';
  return `<a class="${cls}" href="${escapeHtml(meta.href)}"${hint}>${escapeHtml(meta.label)}</a>`;
};

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const t = tokens[idx]!;
  const src = String(t.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(t.children ?? [], options, env).trim() || 'no description';
  if (!SAFE_IMAGE.test(src)) return escapeHtml(`Image: ${alt} (link not allowed)`);
  // Inside a link the placeholder cannot be a link itself: anchors do not nest.
  if ((t.meta as { inLink?: boolean } | null)?.inLink) {
    return `<span class="md-image">${escapeHtml(`Image: ${alt}`)}</span>`;
  }
  return `<a class="md-image" href="${escapeHtml(src)}" rel="${LINK_REL}" target="_blank">${escapeHtml(
    `Image: ${alt} (tap to open)`,
  )}</a>`;
};

/** `@` followed by the longest matching member name, at a word boundary on both sides. */
function mentionRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x40) return false;
  const env = state.env as MentionEnv;
  const targets = env.hearthTargets;
  if (!targets || targets.length === 0) return false;
  if (pos > 0 && WORD_CHAR.test(src[pos - 1]!)) return false;
  const match = matchMentionAt(src, pos + 1, state.posMax, targets);
  if (!match) return false;
  if (!silent) {
    const t = state.push('hearth_mention', '', 0);
    t.content = `@${src.slice(pos + 1, pos + 1 + match.length)}`;
    const me = env.hearthMe;
    t.meta = { id: match.ids[0], me: me !== undefined && match.ids.includes(me) };
    env.hearthFound?.push(...match.ids);
  }
  state.pos = pos + 1 + match.length;
  return true;
}

/** `[[title]]` on one line, when the caller resolves note links. */
function noteLinkRule(state: StateInline, silent: boolean): boolean {
  const resolve = (state.env as MentionEnv).hearthNoteLink;
  const src = state.src;
  const pos = state.pos;
  if (!resolve || src.charCodeAt(pos) !== 0x5b || src.charCodeAt(pos + 1) !== 0x5b) return false;
  const end = src.indexOf(']]', pos + 2);
  if (end < 0 || end > state.posMax || end - pos - 2 > 200) return false;
  const inner = src.slice(pos + 2, end);
  const title = inner.replace(/\s+/gu, ' ').trim();
  if (!title || /[[\]\n]/.test(inner)) return false;
  if (!silent) state.push('hearth_note_link', '', 0).meta = { ...resolve(title) };
  state.pos = end + 2;
  return true;
}

/** Adds link attributes, turns table alignment into classes, tames code block info. */
function safetyRule(state: StateCore): void {
  for (const token of state.tokens) {
    if (token.type === 'th_open' || token.type === 'td_open') alignToClass(token);
    else if (token.type === 'fence') token.info = sanitizeInfo(token.info);
    let inLink = false;
    for (const child of token.children ?? []) {
      if (child.type === 'link_open') {
        child.attrSet('rel', LINK_REL);
        child.attrSet('target', '_blank');
        inLink = true;
      } else if (child.type === 'link_close') inLink = false;
      else if (child.type === 'image' && inLink) child.meta = { inLink: true };
    }
  }
}

function alignToClass(token: Token): void {
  const style = token.attrGet('style');
  if (style === null) return;
  token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
  const m = /text-align:(left|right|center)/.exec(String(style));
  if (m) token.attrJoin('class', `md-align-${m[1]}`);
}

function sanitizeInfo(info: string): string {
  const lang = info.trim().split(/\s+/)[0] ?? '';
  return lang.replace(/[^\w+#.-]/g, '').slice(0, 32);
}

/** Renders untrusted markdown to an HTML string that is safe to assign to innerHTML. */
export function renderMarkdown(src: string, options: RenderOptions = {}): string {
  const env: MentionEnv = {};
  if (options.mentions) env.hearthTargets = sortTargets(options.mentions);
  if (options.me !== undefined) env.hearthMe = options.me;
  if (options.noteLink) env.hearthNoteLink = options.noteLink;
  return md.render(src, env);
}
