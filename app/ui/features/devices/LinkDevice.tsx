import { createResource, createSignal, Show } from 'solid-js';
import { qrDataUrl } from '../../components/qr.ts';
import { messageFor } from '../../state/errors.ts';
import { useHearth } from '../../state/hearthContext.ts';
import { makeLink } from './deviceClient.ts';

/**
 * Settings, "Your devices": shows a one-time QR code (and its link) that another device opens
 * to become this member too, with every group. The link expires in minutes and works once.
 */
export function LinkDevice() {
  const hearth = useHearth();
  const [label, setLabel] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [made, setMade] = createSignal<{ url: string; expiresAt: number } | null>(null);
  const [qr] = createResource(() => made()?.url, qrDataUrl);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      setMade(await makeLink(hearth, label().trim() || 'Another device'));
    } catch (err) {
      setError(messageFor(err, 'The link could not be made. Check the connection and try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="link-device-title">
      <h2 id="link-device-title">Link a device</h2>
      <p class="hint">
        Use Hearth as yourself on a second phone or computer. Open Hearth there, choose “Link to my
        other device” and scan this code. It brings every group and its history; it works once and
        only for a few minutes.
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="device-label">Name of the new device</label>
          <input
            id="device-label"
            maxLength={60}
            placeholder="Phone, Laptop…"
            value={label()}
            onInput={(e) => setLabel(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy()}>
          Show link code
        </button>
      </form>
      <p class="error" role="alert">
        {error()}
      </p>
      <Show when={made()}>
        {(m) => (
          <div class="link-offer">
            <Show when={qr()}>
              <img
                class="qr"
                src={qr()}
                alt="QR code that links another device: scan it on that device"
              />
            </Show>
            <div class="field">
              <label for="device-link">Device link</label>
              <input id="device-link" readOnly value={m().url} />
              <p class="hint">
                Works once, until {new Date(m().expiresAt).toLocaleTimeString()}. Whoever opens it
                becomes you: show it only to your own device.
              </p>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
