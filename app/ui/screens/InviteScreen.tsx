import { createResource, createSignal, Show } from 'solid-js';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { useHearth } from '../state/hearthContext.ts';
import { groupRoute } from './routes.ts';

/** The group's invite as a link to copy and a QR code to scan (the QR library loads only here). */
export function InviteScreen(props: { groupId: string }) {
  const hearth = useHearth();
  const link = () => hearth.inviteLink(props.groupId);
  const [qr] = createResource(link, async (text) => {
    const QR = await import('qrcode');
    const svg = await QR.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const [copied, setCopied] = createSignal('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link());
      setCopied('Link copied. Send it privately: anyone with it can join and read the group.');
    } catch {
      setCopied('Could not copy automatically: select the link and copy it.');
    }
  };
  return (
    <>
      <TopBar title="Invite" back={href(groupRoute, { groupId: props.groupId })} />
      <main>
        <p>
          Anyone who opens this link can join <strong>{hearth.entry(props.groupId)?.name}</strong>{' '}
          and read everything in it. Share it only with people you trust, in a private message or in
          person.
        </p>
        <div class="field">
          <label for="invite-link">Invite link</label>
          <input
            id="invite-link"
            readOnly
            value={link()}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
        <div class="actions">
          <button class="primary" type="button" onClick={copy}>
            Copy link
          </button>
        </div>
        <p role="status">{copied()}</p>
        <Show when={qr()}>
          <img
            class="qr"
            src={qr()}
            alt="QR code of the invite link: scan it with a phone camera to join"
          />
        </Show>
      </main>
    </>
  );
}
