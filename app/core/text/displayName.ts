// Names (of people and groups) arrive from keyboards, invite links and other members'
// devices. One cleaning rule for all of them keeps display, mention matching and length
// limits consistent, and keeps bidi-override tricks out of names.

/** Longest name, in characters (code points), anywhere in Hearth. */
export const NAME_MAX_CHARS = 100;

// C0/C1 controls and the bidi embedding/override/isolate controls used for spoofing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const STRIP = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

// What shows as nothing: spaces, format characters (zero-width space and joiners, bidi
// marks), combining marks on their own, and the blank letters used for empty-looking names
// (Hangul fillers, the blank braille pattern). A name needs something else to be seen.
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{M}\u115f\u1160\u3164\uffa0\u2800]/gu;

/**
 * Trims, collapses runs of whitespace and strips control characters.
 * Returns null when nothing visible is left or the result is longer than `max` characters.
 */
export function cleanName(input: string, max: number = NAME_MAX_CHARS): string | null {
  const cleaned = input.replace(/\s+/gu, ' ').replace(STRIP, '').replace(/ {2,}/g, ' ').trim();
  if (cleaned.replace(INVISIBLE, '').length === 0) return null;
  if (countChars(cleaned) > max) return null;
  return cleaned;
}

/** True when `input` is already a clean name (what every writer stores). */
export function isCleanName(input: unknown, max: number = NAME_MAX_CHARS): input is string {
  return typeof input === 'string' && cleanName(input, max) === input;
}

/** Length in code points, so an emoji counts once rather than twice. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
