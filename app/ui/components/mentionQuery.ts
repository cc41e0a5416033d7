// The composer's @mention autocomplete needs to know, from the text and the caret alone,
// whether the writer is typing a name after `@`, and how to put the chosen name in its place.

/** An `@` being typed: where it starts and what follows it up to the caret. */
export interface MentionQuery {
  /** Index of the `@`. */
  readonly start: number;
  /** Text between the `@` and the caret. */
  readonly prefix: string;
}

const WORD = /[\p{L}\p{N}_]/u;
/** Names may hold spaces ("Ann Lee"), so the query may too, but not a line break. */
const MAX_QUERY = 40;

/** The mention being typed at `caret`, or null when the caret is not in one. */
export function findMentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || caret - at - 1 > MAX_QUERY) return null;
  if (at > 0 && WORD.test(before[at - 1]!)) return null;
  const prefix = before.slice(at + 1);
  if (/[\n\r]/.test(prefix) || /^\s/.test(prefix) || /\s{2}/.test(prefix)) return null;
  return { start: at, prefix };
}

/** `text` with the query replaced by `@name ` and the caret just after it. */
export function insertMention(
  text: string,
  query: MentionQuery,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return {
    text: text.slice(0, query.start) + inserted + rest,
    caret: query.start + inserted.length,
  };
}
