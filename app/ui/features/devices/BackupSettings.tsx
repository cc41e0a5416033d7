import { createResource, createSignal, Show } from 'solid-js';
import { PASSPHRASE_MIN_CHARS } from '../../../core/hearth/backup.ts';
import { dateFormat } from '../../components/dates.ts';
import { messageFor } from '../../state/errors.ts';
import { useHearth } from '../../state/hearthContext.ts';
import { backupAge, saveBackup } from './deviceClient.ts';

/**
 * Settings, "Backup": one encrypted file with everything this device keeps, sealed under a
 * passphrase only the member knows. Import it on a fresh browser (Welcome screen).
 */
export function BackupSettings() {
  const hearth = useHearth();
  const [pass, setPass] = createSignal('');
  const [again, setAgain] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [done, setDone] = createSignal('');
  const [last, { refetch }] = createResource(() => backupAge(hearth));
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    if (pass() !== again()) {
      setError('The two passphrases differ. Type the same one twice.');
      return;
    }
    setBusy(true);
    try {
      await saveBackup(hearth, pass());
      setDone(
        'The backup was saved to your downloads. Keep it, and the passphrase, somewhere safe.',
      );
      setPass('');
      setAgain('');
      void refetch();
    } catch (err) {
      setError(messageFor(err, 'The backup could not be made. Try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" id="backup" aria-labelledby="backup-title">
      <h2 id="backup-title">Backup</h2>
      <p class="hint">
        One encrypted file with your identity, every group and what you have read. Without the
        passphrase nobody can open it, and nobody can recover it for you.
      </p>
      <p>
        <Show when={last()} fallback="No backup made on this device yet.">
          {(at) => <>Last backup: {dateFormat.format(at())}.</>}
        </Show>
      </p>
      <form onSubmit={submit}>
        <div class="field">
          <label for="backup-pass">Backup passphrase</label>
          <input
            id="backup-pass"
            type="password"
            autocomplete="new-password"
            minLength={PASSPHRASE_MIN_CHARS}
            value={pass()}
            onInput={(e) => setPass(e.currentTarget.value)}
            aria-describedby="backup-pass-hint"
          />
          <p class="hint" id="backup-pass-hint">
            At least {PASSPHRASE_MIN_CHARS} characters; a few unrelated words are easy to remember.
          </p>
        </div>
        <div class="field">
          <label for="backup-pass-again">Same passphrase again</label>
          <input
            id="backup-pass-again"
            type="password"
            autocomplete="new-password"
            value={again()}
            onInput={(e) => setAgain(e.currentTarget.value)}
          />
        </div>
        <p class="error" role="alert">
          {error()}
        </p>
        <p role="status">{done()}</p>
        <button type="submit" class="primary" disabled={busy() || !pass()}>
          {busy() ? 'Sealing…' : 'Export backup'}
        </button>
      </form>
    </section>
  );
}
