// The invitation a member is about to look at, kept in memory only: read from the address bar
// (then removed from it), scanned or pasted. Small and loaded with the app; the Join screen,
// which opens a short link on its relay, loads on demand.
import { createSignal } from 'solid-js';
import type { ResolvedInvite } from '../../core/invite/Invites.ts';
import { parseAnyInvite } from '../../core/invite/shortLink.ts';
import { href, navigate } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { joiningRoute } from './routes.ts';

/**
 * The invitation being looked at: a link's text (a short link is opened on the relay once, as
 * opening counts a use), an invite already read, or why the link cannot be read.
 */
export type Pending =
  | { readonly text: string; resolution?: Promise<ResolvedInvite> }
  | { readonly resolved: ResolvedInvite }
  | { readonly error: string };

export const [pending, setPending] = createSignal<Pending | null>(null);

function readable(text: string): Pending {
  try {
    const parsed = parseAnyInvite(text);
    if (parsed.kind === 'short') return { text };
    return { resolved: { invite: parsed.invite, expiresAt: undefined, short: false } };
  } catch (e) {
    return { error: messageFor(e, 'This does not look like a Hearth invite link.') };
  }
}

/**
 * Reads an invite from the address bar once, then removes it from the address bar and the
 * history, keeping it only in memory. (The browser may still keep the visited address in its
 * history database: a short link there opens nothing once the invitation expired or was
 * withdrawn; see docs/SECURITY.md.)
 */
export function takeInviteFromUrl(payload: string): void {
  setPending(readable(`#/join/${payload}`));
  navigate(href(joiningRoute), { replace: true });
}

/**
 * A link as text (scanned or pasted), short or long. Throws InviteError for text that is no
 * invite at all, so the caller can say so where the person is.
 */
export function offerInviteText(text: string): void {
  const parsed = parseAnyInvite(text);
  setPending(
    parsed.kind === 'short'
      ? { text }
      : { resolved: { invite: parsed.invite, expiresAt: undefined, short: false } },
  );
  navigate(href(joiningRoute));
}
