// The device screens' link to the core: linking, backups and the browser's storage. Screens
// call these; none reads or writes the device's storage itself.
import { HttpInviteRelay } from '../../../adapters/HttpInviteRelay.ts';
import { exportBackup, importBackup, lastBackupAt } from '../../../core/hearth/backup.ts';
import { exportGroupFiles } from '../../../core/hearth/groupExport.ts';
import type { Hearth } from '../../../core/hearth/Hearth.ts';
import { acceptLink, offerLink, parseLink } from '../../../core/hearth/linkDevice.ts';
import { download } from '../../components/download.ts';

const relayOf = (url: string) => new HttpInviteRelay({ relayUrl: url });

/** Device A: the link (and its expiry) that device B opens to become this member too. */
export function makeLink(hearth: Hearth, label: string) {
  const relay = hearth.env.defaultRelay;
  return offerLink(hearth, relayOf(relay), { relay, label });
}

/** Device B: opens a link and saves what it brings; the app then starts afresh. */
export async function takeLink(hearth: Hearth, text: string): Promise<void> {
  const link = parseLink(text);
  await acceptLink(hearth.env.storage, relayOf(link.relay), link);
  restart();
}

export async function saveBackup(hearth: Hearth, passphrase: string): Promise<void> {
  // On a full device the flush fails; the backup still holds everything saved until then.
  await hearth.flushAll().catch(() => undefined);
  const bytes = await exportBackup(hearth.env.storage, passphrase);
  const day = new Date().toISOString().slice(0, 10);
  download(`hearth-backup-${day}.hearth`, bytes, 'application/octet-stream');
}

export async function restoreBackup(hearth: Hearth, file: File, passphrase: string) {
  await importBackup(hearth.env.storage, new Uint8Array(await file.arrayBuffer()), passphrase);
  restart();
}

export const backupAge = (hearth: Hearth) => lastBackupAt(hearth.env.storage);

export async function saveGroupExport(hearth: Hearth, groupId: string): Promise<void> {
  const out = await exportGroupFiles(hearth, groupId);
  download(`${out.baseName}.md`, out.markdown, 'text/markdown');
  download(`${out.baseName}.json`, out.json, 'application/json');
}

/** Starts the app afresh on Home, so it loads what was just saved. */
function restart(): void {
  history.replaceState(null, '', '#/');
  location.reload();
}
