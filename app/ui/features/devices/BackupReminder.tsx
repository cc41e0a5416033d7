import { createResource, createSignal, Show } from 'solid-js';
import { needsBackupReminder } from '../../../core/hearth/backup.ts';
import { href } from '../../router.ts';
import { settingsRoute } from '../../screens/routes.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';
import { backupAge } from './deviceClient.ts';

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
