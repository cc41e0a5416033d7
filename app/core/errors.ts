// One error model for all of Hearth: every error the app throws on purpose is a HearthError
// with a stable code (for code to branch on), a message in plain words (for people) and an
// optional detail (for developers and logs). Anything else that reaches the UI is a bug or an
// environment failure, and the UI shows a generic sentence instead of its raw text.

/** What a HearthError carries besides its code and message. */
export interface HearthErrorOptions {
  /** Developer text: what exactly went wrong (offsets, lengths, field names). Never shown. */
  readonly detail?: string | undefined;
  /** The lower-level error or value that led to this one. */
  readonly cause?: unknown;
}

/**
 * The base of every error Hearth throws on purpose.
 *
 * Use it (through a subclass with its own code union, such as `StorageError` or `InviteError`)
 * whenever code throws for a reason a caller may want to handle or a member may need to hear
 * about: bad input, damaged data, a full disk, an unreachable relay. Do not use it for
 * programming errors that "cannot happen"; a plain `Error` (or an assertion) is right there,
 * and the UI shows a generic sentence for it.
 *
 * - `code` is stable and typed: branch on it, test it, never on the message.
 * - `message` is for people: one or more full sentences a non-technical member understands,
 *   saying what happened and what to do (`This link is cut off — ask for the whole link
 *   again.`). No offsets, byte counts or jargon; the UI shows it as it is.
 * - `detail` is for developers: the precise technical reason. It is logged, never shown.
 * - `cause` is the underlying error, when there is one.
 *
 * Subclasses usually map each code to one message, so a call site names only the code and,
 * if useful, a detail: `throw new InviteError('truncated', 'check bytes missing')`.
 */
export abstract class HearthError<C extends string = string> extends Error {
  /** Stable, machine-readable reason. */
  readonly code: C;
  /** Developer text; never shown to members. */
  readonly detail?: string;

  protected constructor(code: C, message: string, options: HearthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.detail) this.detail = options.detail;
  }
}

/** True for any error Hearth threw on purpose, whose message is fit to show to a member. */
export function isHearthError(e: unknown): e is HearthError {
  return e instanceof HearthError;
}
