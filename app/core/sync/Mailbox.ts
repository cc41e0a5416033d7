// The relay's blind mailbox as the app sees it (docs/PROTOCOL.md): an ordered log of sealed
// blobs per room. One interface for the HTTP client and the in-memory stand-in, and one
// error type whose codes are the protocol's plus the two ways a request can fail on its own.
import type { MailboxKeyPair, RoomId } from '../crypto/keys.ts';
import { HearthError } from '../errors.ts';

export type MailboxKind = 'update' | 'snapshot';

export interface MailboxEntry {
  readonly seq: number;
  readonly kind: MailboxKind;
  readonly blob: Uint8Array;
}

export interface MailboxPage {
  readonly entries: readonly MailboxEntry[];
  /**
   * The relay's cursor to pass as `after` next time. Untrusted: MailboxSync moves its own
   * cursor only to the last entry it received, never to this.
   */
  readonly next: number;
  /** True when the limit cut the answer short (a hint: an empty page ends a pull anyway). */
  readonly more: boolean;
}

export interface PushOptions {
  readonly kind: MailboxKind;
  /** For a snapshot: the highest sequence number whose content it includes. 0 for updates. */
  readonly supersedes?: number;
  /** 16 random bytes; reuse them when retrying the same write so the relay can spot it. */
  readonly writeId?: Uint8Array;
}

export interface Mailbox {
  pull(room: RoomId, after: number, limit?: number): Promise<MailboxPage>;
  push(
    room: RoomId,
    keys: MailboxKeyPair,
    blob: Uint8Array,
    options: PushOptions,
  ): Promise<{ seq: number }>;
}

export const PROTOCOL_ERROR_CODES = [
  'bad-request',
  'bad-signature',
  'wrong-key',
  'replay',
  'stale',
  'too-large',
  'quota-bytes',
  'quota-entries',
  'rate-limited',
  'relay-full',
] as const;

export type MailboxErrorCode = (typeof PROTOCOL_ERROR_CODES)[number] | 'network' | 'bad-response';

export const MAILBOX_ERROR_MESSAGES: Record<MailboxErrorCode, string> = {
  'bad-request':
    'The relay could not understand a request from this app. Updating Hearth may help.',
  'bad-signature':
    'The relay refused a change because its signature did not check out. Reload the app; if this keeps happening, update Hearth.',
  'wrong-key':
    'The relay keeps this group’s mailbox under a different key and refused the change. The group may have moved to a new key: ask a member for a fresh invite.',
  replay: 'The relay had already received this change.',
  stale:
    'The relay refused a change because this device’s clock is far off. Check the date and time settings.',
  'too-large':
    'A change is too large for the relay to keep. It stays on this device and still reaches people who are online at the same time.',
  'quota-bytes':
    'The relay is full for this group. Hearth is uploading a compact copy to make room; until then, changes wait on this device.',
  'quota-entries':
    'The relay is full for this group. Hearth is uploading a compact copy to make room; until then, changes wait on this device.',
  'rate-limited': 'The relay asked Hearth to slow down. Changes will be sent again shortly.',
  'relay-full':
    'The relay is out of space. Changes wait on this device and still reach people who are online at the same time; whoever runs the relay can make room.',
  network:
    'The relay could not be reached. Changes wait on this device and are sent when it is back.',
  'bad-response':
    'The relay sent an answer Hearth could not read. It may be running a different version; changes wait on this device until it answers properly.',
};

export function isMailboxErrorCode(x: unknown): x is MailboxErrorCode {
  return typeof x === 'string' && Object.hasOwn(MAILBOX_ERROR_MESSAGES, x);
}

export class MailboxError extends HearthError<MailboxErrorCode> {
  override readonly name = 'MailboxError';
  /**
   * `detail` is for developers; the message is the code's own from MAILBOX_ERROR_MESSAGES
   * unless `options.message` gives a plain-words one that fits the case better.
   */
  constructor(
    code: MailboxErrorCode,
    detail?: string,
    options: { cause?: unknown; retryAfterMs?: number; message?: string } = {},
  ) {
    super(code, options.message ?? MAILBOX_ERROR_MESSAGES[code], {
      detail,
      cause: options.cause,
    });
    this.retryAfterMs = options.retryAfterMs;
  }
  /** For 'rate-limited': how long the relay asked us to wait. */
  readonly retryAfterMs: number | undefined;
}

/**
 * A Mailbox whose client code loads on first use (the app's HTTP client is not on the start
 * path). Code that cannot load (offline before it was cached) fails as the network would,
 * so sync shows "Offline" and tries again later.
 */
export function lazyMailbox(load: () => Promise<Mailbox>): Mailbox {
  let loading: Promise<Mailbox> | undefined;
  const get = (): Promise<Mailbox> => {
    loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw new MailboxError('network', 'the mailbox client did not load', { cause: e });
    });
    return loading;
  };
  return {
    pull: async (room, after, limit) => (await get()).pull(room, after, limit),
    push: async (room, keys, blob, options) => (await get()).push(room, keys, blob, options),
  };
}
