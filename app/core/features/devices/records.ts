// A member's devices, as signed records: each device that holds the member's identity has
// its own x25519 key, named in a `device` record the member signs. While a member has device
// records, a new epoch key is sealed to each of their linked devices instead of to the
// member's own key (which every one of their devices holds), so a device unlinked by a final
// record is left out of every later epoch. See docs/PROTOCOL.md ("Devices").
import type { RecordKind } from '../../group/RecordKind.ts';
import { isB64, isText, type Obj, type SignedRecord } from '../../group/records.ts';

/** Characters of a device id: 12 random bytes in base64url. */
export const DEVICE_ID_CHARS = 16;
export const DEVICE_LABEL_MAX_CHARS = 60;

export interface DeviceRecord extends SignedRecord {
  readonly kind: 'device';
  /** Random id of the device, chosen when it was linked. */
  readonly device: string;
  /** base64url of the device's own x25519 public key (new epoch keys are sealed to it). */
  readonly boxKey: string;
  /** What the member calls the device ("Phone", "Laptop"). */
  readonly label: string;
  /** True once the device is unlinked: final, it beats every other version of its slot. */
  readonly unlinked: boolean;
}

export const isDeviceId = (v: unknown): v is string => isB64(v, DEVICE_ID_CHARS);

export const deviceKind: RecordKind<DeviceRecord> = {
  kind: 'device',
  parse: (o: Obj) =>
    isDeviceId(o.device) &&
    isB64(o.boxKey, 43) &&
    isText(o.label, DEVICE_LABEL_MAX_CHARS * 2) &&
    typeof o.unlinked === 'boolean'
      ? (o as unknown as DeviceRecord)
      : null,
  // The slot names its author: nobody else can write a version of it.
  slot: (r) => deviceSlot(r.author, r.device),
  touches: () => [],
  final: (r) => r.unlinked,
};

export const deviceSlot = (member: string, device: string): string => `device:${member}:${device}`;

/** Where an epoch record seals a key for one device of a member: `<member>.<device>`. */
export const deviceKeyName = (member: string, device: string): string => `${member}.${device}`;
