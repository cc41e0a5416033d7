// A pin keeps a thread or post at the top for everyone. Its slot is the pinned item, shared
// by all members: the newest valid version (highest counter, then a fixed tie-break) wins.
import type { RecordKind } from '../../group/RecordKind.ts';
import { isItemId, type Obj, type SignedRecord } from '../../group/records.ts';

export interface PinRecord extends SignedRecord {
  readonly kind: 'pin';
  readonly itemId: string;
  readonly pinned: boolean;
}

export const pinKind: RecordKind<PinRecord> = {
  kind: 'pin',
  parse: (o: Obj) =>
    isItemId(o.itemId) && typeof o.pinned === 'boolean' ? (o as unknown as PinRecord) : null,
  slot: (r) => `pin:${r.itemId}`,
  touches: (r) => [r.itemId],
};
