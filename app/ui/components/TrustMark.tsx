// The one way the app shows whether a record is its author's own: the same words and looks
// on cards and in every list (threads, posts, the home feed, members, pins, quotes). A record
// still being checked is neutral, never shown as genuine; a check that could not run says so.
import { Match, Switch } from 'solid-js';
import type { Trust } from '../state/GroupHandle.ts';

/** Short words for each state, for labels and lists. */
export const TRUST_WORDS: Readonly<Record<Trust, string>> = {
  checking: 'Checking…',
  valid: 'Verified',
  forged: 'Possibly forged',
  'not-a-member': 'Not from a member',
  unverifiable: 'Could not be checked',
};

/**
 * A small inline mark: a quiet ✓ for a verified record (visual only: genuine is what
 * readers assume, so screen readers hear only the exceptions), the words otherwise.
 */
export function TrustMark(props: { trust: Trust }) {
  return (
    <Switch>
      <Match when={props.trust === 'valid'}>
        <span class="trust trust-valid" data-trust="valid" title="Verified: signed by its author">
          <span aria-hidden="true">✓</span>
        </span>
      </Match>
      <Match when={props.trust === 'checking'}>
        <span class="trust trust-checking" data-trust="checking">
          {TRUST_WORDS.checking}
        </span>
      </Match>
      <Match when={props.trust === 'unverifiable'}>
        <span class="trust trust-checking" data-trust="unverifiable">
          {TRUST_WORDS.unverifiable}
        </span>
      </Match>
      <Match when={props.trust === 'forged' || props.trust === 'not-a-member'}>
        <span class="trust trust-warning" data-trust={props.trust}>
          <span aria-hidden="true">⚠ </span>
          {TRUST_WORDS[props.trust]}
        </span>
      </Match>
    </Switch>
  );
}

/** The less trustworthy of two states (a row whose parts differ shows the worst). */
export function worstTrust(a: Trust, b: Trust): Trust {
  const order: readonly Trust[] = ['forged', 'not-a-member', 'unverifiable', 'checking', 'valid'];
  return order.indexOf(a) <= order.indexOf(b) ? a : b;
}
