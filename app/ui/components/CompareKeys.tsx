// Checking a member's key in person or on a call, like Signal's safety numbers: both devices
// show the same 60 digits for the pair, and a QR code of what this device holds that the
// other person can scan. Names prove nothing (anyone can pick any name); keys do.
import { createResource, createSignal, For, onMount, Show } from 'solid-js';
import {
  checkVerifyCode,
  safetyNumberGroups,
  shortFingerprint,
  type VerifyResult,
  verifyCode,
} from '../../core/identity/fingerprint.ts';
import { messageFor } from '../state/errors.ts';
import { QrScanner } from './QrScanner.tsx';

/** A member's short key fingerprint: "Key 1234 5678 9012", read out as "Key fingerprint …". */
export function KeyFingerprint(props: { memberId: string; id?: string }) {
  const digits = () => {
    try {
      return shortFingerprint(props.memberId);
    } catch {
      return 'damaged';
    }
  };
  return (
    <span class="fingerprint" id={props.id}>
      Key<span class="visually-hidden"> fingerprint</span>{' '}
      <span class="fingerprint-digits" translate="no">
        {digits()}
      </span>
    </span>
  );
}

/**
 * A modal dialog, open while it is mounted: the pair's safety number, this device's QR code,
 * and a scanner for the other person's code. `onClose` should unmount it.
 */
export function CompareKeysDialog(props: {
  me: string;
  them: { id: string; name: string };
  onClose: () => void;
}) {
  let dialog!: HTMLDialogElement;
  let scanArea!: HTMLDivElement;
  let scanToggle!: HTMLButtonElement;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const groups = () => safetyNumberGroups(props.me, props.them.id);
  const [qr] = createResource(
    () => verifyCode(props.me, props.them.id),
    async (text) => {
      const QR = await import('qrcode');
      const svg = await QR.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    },
  );
  const [scanning, setScanning] = createSignal(false);
  const [result, setResult] = createSignal<VerifyResult | null>(null);
  const mismatch = () => {
    const r = result();
    return r && !r.match ? r.reasons : null;
  };

  onMount(() => dialog.showModal());
  const closed = () => {
    props.onClose();
    if (opener?.isConnected) opener.focus();
  };

  const onCode = (text: string): string | null => {
    try {
      setResult(checkVerifyCode(text, { me: props.me, them: props.them.id }));
      setScanning(false);
      // The photo input that had focus is gone; keep focus in the dialog, next to the result.
      scanToggle.focus();
      return null;
    } catch (e) {
      return messageFor(e, 'That QR code could not be read as a Hearth key code.');
    }
  };

  return (
    <dialog
      ref={dialog}
      class="dialog compare-keys"
      aria-labelledby="compare-title"
      aria-describedby="compare-how"
      onClose={closed}
    >
      <h2 id="compare-title">Compare keys with {props.them.name}</h2>
      <p class="hint">
        {props.them.name}: <KeyFingerprint memberId={props.them.id} />
      </p>
      <p id="compare-how">
        Meet in person or call. Check that both screens show the same number, or scan their code.
      </p>
      <ol class="safety-number" aria-label="Safety number" translate="no">
        <For each={groups()}>{(g) => <li>{g}</li>}</For>
      </ol>
      <Show when={qr()}>
        <img
          class="qr"
          src={qr()}
          alt={`QR code of your keys: ${props.them.name} can scan it on their device`}
        />
      </Show>
      <div role="status" class="verify-result-region">
        <Show when={result()?.match === true}>
          <p class="verify-result ok">
            <strong>Keys match.</strong> You and {props.them.name} have each other's real keys.
          </p>
        </Show>
      </div>
      <Show when={mismatch()}>
        {(reasons) => (
          <div class="verify-result bad" role="alert">
            <p>
              <strong>These numbers differ: this may not be who you think.</strong>
            </p>
            <Show when={reasons().includes('their-key')}>
              <p>The code shows a different key for {props.them.name} than this device has.</p>
            </Show>
            <Show when={reasons().includes('my-key')}>
              <p>
                Their device has a different key for you, or they are comparing keys with someone
                else.
              </p>
            </Show>
            <p>
              Make sure you scanned the right person's screen. If it still differs, do not trust
              messages from this member until you find out why.
            </p>
          </div>
        )}
      </Show>
      <div class="actions">
        <button
          ref={scanToggle}
          type="button"
          class="primary"
          aria-expanded={scanning()}
          onClick={() => {
            setResult(null);
            setScanning(!scanning());
            if (scanning()) scanArea.scrollIntoView({ block: 'nearest' });
          }}
        >
          {scanning() ? 'Stop scanning' : 'Scan their code'}
        </button>
        <button type="button" onClick={() => dialog.close()}>
          Close
        </button>
      </div>
      <div ref={scanArea}>
        <Show when={scanning()}>
          <QrScanner
            onCode={onCode}
            prompt={`Point the camera at the QR code on ${props.them.name}'s screen.`}
            photoLabel="Or choose a photo of their code"
          />
        </Show>
      </div>
    </dialog>
  );
}
