// One row of the device's group registry (GROUPS_PREFIX), as stored: JSON, checked field by
// field. Apart from Hearth so that boot.ts can read the group list for the first paint without
// loading the rest of the app.
import { fromUtf8 } from '../crypto/bytes.ts';

export interface GroupEntryJSON {
  v: 1;
  groupId: string;
  name: string;
  groupKey: string;
  relays: string[];
  joinedAt: number;
  inviterName?: string;
  epochKey?: string;
}

/** The row's fields, or null for a damaged row (skipped rather than taking the others down). */
export function parseRegistryRow(data: Uint8Array): GroupEntryJSON | null {
  try {
    const j = JSON.parse(fromUtf8(data)) as Partial<GroupEntryJSON> | null;
    if (j?.v !== 1 || typeof j.groupId !== 'string' || typeof j.name !== 'string') return null;
    if (
      typeof j.groupKey !== 'string' ||
      !Array.isArray(j.relays) ||
      !j.relays.every((r) => typeof r === 'string') ||
      typeof j.joinedAt !== 'number'
    ) {
      return null;
    }
    return j as GroupEntryJSON;
  } catch {
    return null;
  }
}
