// Finding who a text @mentions happens on every write, so it must not need the markdown
// parser (which loads lazily, for rendering only). It skips code the way markdown does:
// fenced and indented blocks, and inline code spans.

/** A member that a text may mention: `@name` is matched case-insensitively. */
export interface MentionTarget<Id extends string = string> {
  readonly id: Id;
  readonly name: string;
}

export const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** `@` followed by the longest matching member name, at a word boundary on both sides. */
export function matchMentionAt(
  src: string,
  start: number,
  max: number,
  targets: readonly MentionTarget[],
): { ids: string[]; length: number } | null {
  // Targets are sorted longest name first, so "@Ann Lee" beats "@Ann". Members who share a
  // name are all matched: the writer could not tell them apart either.
  let found: { ids: string[]; length: number } | null = null;
  for (const target of targets) {
    const n = target.name.length;
    if (found) {
      if (n === found.length && nameAt(src, start, n) === target.name.toLowerCase()) {
        found.ids.push(target.id);
      }
      continue;
    }
    if (n === 0 || start + n > max) continue;
    if (nameAt(src, start, n) !== target.name.toLowerCase()) continue;
    const after = src[start + n];
    if (after !== undefined && start + n < max && WORD_CHAR.test(after)) continue;
    found = { ids: [target.id], length: n };
  }
  return found;
}

const nameAt = (src: string, start: number, n: number): string =>
  src.slice(start, start + n).toLowerCase();

/** Longest names first, so "@Ann Lee" beats "@Ann"; ties in a stable order. */
export function sortTargets<Id extends string>(
  targets: readonly MentionTarget<Id>[],
): MentionTarget<Id>[] {
  return targets
    .filter((t) => t.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length || a.id.localeCompare(b.id));
}

/** `src` with code blocks and code spans blanked out (same length, so offsets still match). */
function withoutCode(src: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return src
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm, blank)
    .replace(/^(?: {4}|\t)[^\n]*$/gm, blank)
    .replace(/(`+)[^`]*?[^`]\1(?!`)|(`+)[^`]\2(?!`)/g, blank);
}

/** The members `@mentioned` in `src`, in order of first mention, without duplicates. */
export function findMentions<Id extends string>(
  src: string,
  candidates: readonly MentionTarget<Id>[],
): Id[] {
  if (!src.includes('@') || candidates.length === 0) return [];
  const text = withoutCode(src);
  const targets = sortTargets(candidates);
  const found: Id[] = [];
  for (let pos = text.indexOf('@'); pos >= 0; pos = text.indexOf('@', pos + 1)) {
    if (pos > 0 && WORD_CHAR.test(text[pos - 1]!)) continue;
    const match = matchMentionAt(text, pos + 1, text.length, targets);
    if (match) found.push(...(match.ids as Id[]));
  }
  return [...new Set(found)];
}
