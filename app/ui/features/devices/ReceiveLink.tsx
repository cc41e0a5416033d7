import { createSignal, lazy, onMount, Show } from 'solid-js';
import { hash } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useHearth } from '../../state/hearthContext.ts';

// The Welcome screen shows this form on every first visit; what it runs (the link's
// transfer, a backup's import, the camera) loads when the member asks for it.
const QrScanner = lazy(() =>
  import('../../components/QrScanner.tsx').then((m) => ({ default: m.QrScanner })),
);
const client = () => import('./deviceClient.ts');

/**
 * On a fresh device (the Welcome screen), the two other ways in: become yourself from another
 * device through its link code, or bring everything back from a backup file. A device link
 * opened in the address bar starts at once.
 */
export function ReceiveLink() {
  const hearth = useHearth();
  const [text, setText] = createSignal('');
  const [scanning, setScanning] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const take = async (link: string) => {
    setBusy(true);
    setError('');
    try {
      await (await client()).takeLink(hearth, link);
    } catch (err) {
      setError(messageFor(err, 'This device could not be linked. Try a new code.'));
      setBusy(false);
    }
  };
  onMount(() => {
    if (hash().startsWith('#/link/')) void take(location.href);
  });
  return (
    <section class="card" aria-labelledby="receive-link-title">
      <h2 id="receive-link-title">Already use Hearth?</h2>
      <p class="hint">
        On your other device open Settings, “Link a device”, then scan its code here or paste its
        link.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void take(text());
        }}
      >
        <div class="field">
          <label for="device-link-input">Link from my other device</label>
          <input
            id="device-link-input"
            autocomplete="off"
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy() || !text().trim()}>
            Link this device
          </button>
          <button type="button" onClick={() => setScanning(!scanning())}>
            {scanning() ? 'Stop scanning' : 'Scan the code'}
          </button>
        </div>
      </form>
      <Show when={scanning()}>
        <QrScanner
          onCode={(code) => {
            if (!code.includes('#/link/')) return 'That QR code is not a Hearth device link.';
            void take(code);
            return null;
          }}
          prompt="Point the camera at the code on your other device."
        />
      </Show>
      <p class="error" role="alert">
        {error()}
      </p>
      <Show when={busy()}>
        <p role="status">Linking…</p>
      </Show>
      <RestoreBackup />
    </section>
  );
}

function RestoreBackup() {
  const hearth = useHearth();
  const [pass, setPass] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  let file: HTMLInputElement | undefined;
  const submit = async (e: Event) => {
    e.preventDefault();
    const chosen = file?.files?.[0];
    if (!chosen) {
      setError('Choose the backup file first.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await (await client()).restoreBackup(hearth, chosen, pass());
    } catch (err) {
      setError(messageFor(err, 'The backup could not be imported. Nothing was changed.'));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="restore-title">
      <h3 id="restore-title">Import backup</h3>
      <div class="field">
        <label for="backup-file">Backup file</label>
        <input id="backup-file" type="file" accept=".hearth,application/octet-stream" ref={file} />
      </div>
      <div class="field">
        <label for="backup-pass-in">Backup passphrase</label>
        <input
          id="backup-pass-in"
          type="password"
          autocomplete="current-password"
          value={pass()}
          onInput={(e) => setPass(e.currentTarget.value)}
        />
      </div>
      <p class="error" role="alert">
        {error()}
      </p>
      <button type="submit" disabled={busy() || !pass()}>
        {busy() ? 'Importing…' : 'Import backup'}
      </button>
    </form>
  );
}
