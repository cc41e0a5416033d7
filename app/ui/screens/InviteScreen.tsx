import {
  createEffect,
  createResource,
  createSignal,
  For,
  onCleanup,
  onMount,
  Show,
} from 'solid-js';
import {
  DEFAULT_INVITE_TTL_MS,
  type GroupInviteView,
  type IssuedInvite,
} from '../../core/invite/Invites.ts';
import { dateTimeFormat } from '../components/dates.ts';
import { qrDataUrl } from '../components/qr.ts';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { invitesOf } from './inviteClient.ts';
import { groupRoute } from './routes.ts';

const HOUR = 3_600_000;
const LIFETIMES: readonly { label: string; ms: number }[] = [
  { label: '7 days', ms: DEFAULT_INVITE_TTL_MS },
  { label: '1 day', ms: 24 * HOUR },
  { label: '1 hour', ms: HOUR },
];
const USES: readonly { label: string; n: number }[] = [
  { label: 'Any number of times', n: 0 },
  { label: 'Once', n: 1 },
  { label: '5 times', n: 5 },
  { label: '25 times', n: 25 },
];

function whoseText(i: GroupInviteView): string {
  if (i.mine) return 'Your invitation';
  return i.inviterName === null
    ? 'An invitation by someone who is not a member'
    : `${i.inviterName}'s invitation`;
}

function usesText(i: Pick<GroupInviteView, 'uses' | 'maxUses'>): string {
  if (i.uses === undefined) return 'the relay could not be asked how often it was used';
  const of = i.maxUses > 0 ? ` of ${i.maxUses}` : '';
  return `opened ${i.uses}${of} ${i.uses === 1 && !of ? 'time' : 'times'}`;
}

/**
 * Making invitations that expire: the inviter picks how long a link works and how often it can
 * be opened, gets a short link and its QR code (the QR library loads on demand). Below, every
 * invitation to the group that still works, whoever made it (from the group's invite records),
 * with a Withdraw button for those this member may withdraw: their own, and as the creator or
 * an admin, the others'. The list is read again when the group's invite records change.
 */
export function InviteScreen(props: { groupId: string }) {
  const hearth = useHearth();
  const invites = invitesOf(hearth);
  const [ttl, setTtl] = createSignal(LIFETIMES[0]!.ms);
  const [uses, setUses] = createSignal(0);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [made, setMade] = createSignal<IssuedInvite | null>(null);
  const [listVersion, setListVersion] = createSignal(0);
  const [active, { refetch }] = createResource(listVersion, () => invites.listGroup(props.groupId));
  onMount(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    onCleanup(() => {
      gone = true;
      stop?.();
    });
    void invites
      .watch(props.groupId, () => setListVersion((v) => v + 1))
      .then((unsubscribe) => {
        if (gone) unsubscribe();
        else stop = unsubscribe;
      })
      .catch((err) => setError(messageFor(err)));
  });
  const [qr] = createResource(() => made()?.link, qrDataUrl);
  const [copied, setCopied] = createSignal('');
  const [big, setBig] = createSignal(false);
  let bigQr: HTMLDialogElement | undefined;
  createEffect(() => {
    if (big() && bigQr && !bigQr.open) bigQr.showModal();
  });
  const canShare = typeof navigator.share === 'function';

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setCopied('');
    try {
      setMade(await invites.create(props.groupId, { ttlMs: ttl(), maxUses: uses() }));
      setListVersion((v) => v + 1);
    } catch (err) {
      setError(messageFor(err, 'The invitation could not be made. Try again.'));
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (room: string) => {
    setError('');
    try {
      await invites.revoke(props.groupId, room);
      if (made()?.room === room) setMade(null);
      void refetch();
    } catch (err) {
      setError(messageFor(err, 'The invitation could not be withdrawn. Try again.'));
    }
  };
  const copy = async () => {
    const link = made()?.link;
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied. Send it privately: until it expires, anyone with it can join.');
    } catch {
      setCopied('Could not copy automatically: select the link and copy it.');
    }
  };
  /** The phone's share sheet, where the browser has the Web Share API. */
  const share = async () => {
    const link = made()?.link;
    if (!link) return;
    setCopied('');
    try {
      await navigator.share({
        title: `Join ${hearth.entry(props.groupId)?.name ?? 'my group'} on Hearth`,
        url: link,
      });
    } catch (err) {
      // Closing the share sheet is not an error.
      if ((err as { name?: string } | null)?.name !== 'AbortError') {
        setCopied('Could not open the share sheet: copy the link instead.');
      }
    }
  };
  return (
    <>
      <TopBar title="Invite" back={href(groupRoute, { groupId: props.groupId })} />
      <main>
        <p>
          Anyone who opens an invitation link while it works can join{' '}
          <strong>{hearth.entry(props.groupId)?.name}</strong> and read everything in it. Share it
          only with people you trust, in a private message or in person. Once it expires or is
          withdrawn, the link opens nothing. The group's members see that you made it, until when it
          works and how often it may be opened, never the link itself.
        </p>
        <form onSubmit={create}>
          <div class="field">
            <label for="invite-ttl">The link works for</label>
            <select
              id="invite-ttl"
              value={String(ttl())}
              onChange={(e) => setTtl(Number(e.currentTarget.value))}
            >
              <For each={LIFETIMES}>{(o) => <option value={String(o.ms)}>{o.label}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="invite-uses">It can be opened</label>
            <select
              id="invite-uses"
              value={String(uses())}
              onChange={(e) => setUses(Number(e.currentTarget.value))}
            >
              <For each={USES}>{(o) => <option value={String(o.n)}>{o.label}</option>}</For>
            </select>
          </div>
          <div class="actions">
            <button class="primary" type="submit" disabled={busy()}>
              Create invite link
            </button>
          </div>
        </form>
        <p class="error" role="alert">
          {error()}
        </p>
        <Show when={made()}>
          {(m) => (
            <section class="card" aria-label="New invitation">
              <div class="field">
                <label for="invite-link">Invite link</label>
                <input
                  id="invite-link"
                  readOnly
                  value={m().link}
                  onFocus={(e) => e.currentTarget.select()}
                />
              </div>
              <p class="hint">Works until {dateTimeFormat.format(m().expiresAt)}.</p>
              <div class="actions">
                <button class="primary" type="button" onClick={copy}>
                  Copy link
                </button>
                <Show when={canShare}>
                  <button type="button" onClick={() => void share()}>
                    Share
                  </button>
                </Show>
              </div>
              <p role="status">{copied()}</p>
              <Show when={qr()}>
                {(src) => (
                  <>
                    <button
                      type="button"
                      class="qr-button"
                      aria-label="Show the QR code full screen"
                      onClick={() => setBig(true)}
                    >
                      <img
                        class="qr"
                        src={src()}
                        alt="QR code of the invite link: scan it with a phone camera to join"
                      />
                    </button>
                    <p class="hint">Tap the code to show it full screen.</p>
                    <dialog
                      ref={bigQr}
                      class="qr-full"
                      aria-label="Invite QR code, full screen"
                      onClose={() => setBig(false)}
                    >
                      <img src={src()} alt="QR code of the invite link: scan it to join" />
                      <button type="button" class="primary" onClick={() => bigQr?.close()}>
                        Close
                      </button>
                    </dialog>
                  </>
                )}
              </Show>
            </section>
          )}
        </Show>
        <h2>Open invitations</h2>
        <Show
          when={(active() ?? []).length > 0}
          fallback={
            <p class="empty">
              {active.loading
                ? 'Asking the relay…'
                : 'No invitation to this group works at the moment.'}
            </p>
          }
        >
          <ul class="list" aria-label="Open invitations">
            <For each={active()}>
              {(i) => (
                <li class="card">
                  <p>
                    <strong>{whoseText(i)}</strong>, made {dateTimeFormat.format(i.createdAt)}.
                    Works until {dateTimeFormat.format(i.expiresAt)}; {usesText(i)}.
                  </p>
                  <Show
                    when={i.mayWithdraw}
                    fallback={
                      <p class="hint">
                        Its inviter, the group's creator or an admin can withdraw it.
                      </p>
                    }
                  >
                    <button class="danger" type="button" onClick={() => withdraw(i.room)}>
                      Withdraw
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </main>
    </>
  );
}
