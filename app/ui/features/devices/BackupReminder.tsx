import { createEffect, createResource, createSignal, onCleanup, Show } from 'solid-js';
import { needsBackupReminder } from '../../../core/hearth/backup.ts';
import type { StorageError } from '../../../core/storage/StorageAdapter.ts';
import { href } from '../../router.ts';
import { settingsRoute } from '../../screens/routes.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';
import { askPersistence, backupAge } from './deviceClient.ts';

/**
 * Always mounted: asks the browser to keep Hearth's data once the device holds a group (the
 * first one created or joined), and says so when saving fails for lack of space, with the way
 * out (export a backup, free space). Nothing already saved is touched by such a failure.
 */
export function DurabilityWatch() {
  const hearth = useHearth();
  const version = useHearthVersion();
  let asked = false;
  createEffect(() => {
    version();
    if (!asked && hearth.groups().length > 0) {
      asked = true;
      void askPersistence();
    }
  });
  const [failure, setFailure] = createSignal<StorageError | null>(null);
  onCleanup(hearth.onStorageError((e) => setFailure(e)));
  return (
    <Show when={failure()}>
      {(e) => (
        <div class="toast" role="alert">
          {e().message}{' '}
          <Show when={e().code === 'quota'}>
            <a href={`${href(settingsRoute)}`} onClick={() => setFailure(null)}>
              Export a backup
            </a>{' '}
          </Show>
          <button type="button" onClick={() => setFailure(null)}>
            Dismiss
          </button>
        </div>
      )}
    </Show>
  );
}

const [snoozed, setSnoozed] = createSignal(false);

/** On Home: a gentle word when this device is the only place the member's groups live. */
export function BackupReminder() {
  const hearth = useHearth();
  const version = useHearthVersion();
  const [last] = createResource(() => backupAge(hearth).then((at) => ({ at })));
  const show = () => {
    version();
    const l = last();
    return (
      !snoozed() &&
      l !== undefined &&
      needsBackupReminder({
        groups: hearth.groups().length,
        linkedDevices: hearth.identity?.device ? 1 : 0,
        lastBackupAt: l.at,
        now: Date.now(),
      })
    );
  };
  return (
    <Show when={show()}>
      <aside class="card reminder" aria-label="Backup reminder">
        <p>
          Your groups live only on this device. If it is lost or the browser clears its data, they
          are gone from here. Export a backup or link another device.
        </p>
        <div class="actions">
          <a class="button" href={href(settingsRoute)}>
            Back up or link
          </a>
          <button type="button" onClick={() => setSnoozed(true)}>
            Not now
          </button>
        </div>
      </aside>
    </Show>
  );
}
