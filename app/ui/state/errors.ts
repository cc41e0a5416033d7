// What a member reads when something fails. Errors Hearth throws on purpose (HearthError)
// carry a plain-words message made for this; anything else (a TypeError, a browser
// DOMException, a bug) is logged for developers and replaced by a friendly sentence, so raw
// exception text never reaches the screen.
import { isHearthError } from '../../core/errors.ts';

/** Shown for any failure that is not a HearthError, unless the caller gives a better one. */
export const GENERIC_ERROR_MESSAGE =
  'Something went wrong. Try again; if it keeps happening, reload the app.';

/**
 * The sentence to show a member for `error`: a HearthError's own message, otherwise
 * `fallback` (a sentence that fits the action, e.g. "This post could not be saved.") or the
 * generic one. A non-HearthError is logged with console.error; its text is never returned.
 */
export function messageFor(error: unknown, fallback: string = GENERIC_ERROR_MESSAGE): string {
  if (isHearthError(error)) return error.message;
  console.error(error);
  return fallback;
}
