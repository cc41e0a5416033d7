// `[[Page title]]` links in member-written markdown: finding them, comparing titles the way
// links resolve them, and what is being typed after an unclosed `[[` (for autocomplete).
// Links are kept as titles in the text; the group's index resolves a title to a note (its
// current title first, then titles it had before), so renaming a page breaks no link.

/** Most links one revision record lists. */
export const LINKS_MAX = 100;
/** Longest text between `[[` and `]]` that counts as a link. */
export const LINK_TITLE_MAX = 200;

const LINK = /\[\[([^[\]\n]{1,200})\]\]/g;

/** One `[[…]]` in a text: where it starts and ends, and the title inside it (trimmed). */
export interface LinkSpan {
  readonly from: number;
  readonly to: number;
  readonly title: string;
}

/** Every well-formed `[[title]]` in `text`, in order (empty titles are not links). */
export function linkSpans(text: string): LinkSpan[] {
  if (!text.includes('[[')) return [];
  const out: LinkSpan[] = [];
  for (const m of text.matchAll(LINK)) {
    const title = m[1]!.replace(/\s+/gu, ' ').trim();
    if (title) out.push({ from: m.index, to: m.index + m[0].length, title });
  }
  return out;
}

/** The distinct titles `text` links to, first-seen order, at most LINKS_MAX. */
export function parseLinks(text: string): string[] {
  const seen = new Map<string, string>();
  for (const { title } of linkSpans(text)) {
    const key = titleKey(title);
    if (!seen.has(key)) seen.set(key, title);
    if (seen.size >= LINKS_MAX) break;
  }
  return [...seen.values()];
}

/** How titles compare: case, spacing and Unicode forms do not matter. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/**
 * The title being typed when the cursor (at `pos`) follows an unclosed `[[` on the same line:
 * where it starts and what is typed so far; undefined elsewhere.
 */
export function openLinkAt(text: string, pos: number): { from: number; query: string } | undefined {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const before = text.slice(lineStart, pos);
  const open = before.lastIndexOf('[[');
  if (open < 0) return undefined;
  const query = before.slice(open + 2);
  if (query.includes(']') || query.includes('[') || query.length > LINK_TITLE_MAX) return undefined;
  return { from: lineStart + open + 2, query };
}
