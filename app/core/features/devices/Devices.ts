// The devices each member linked, folded from their signed device records: which devices
// a new epoch key is sealed to, and unlinking a lost one. Unlinking writes a final record;
// the group's EpochFollower then starts a new epoch that leaves the device out, exactly as
// it does when a member is removed (hearth/EpochFollower.ts).
import { fromBase64Url, toBase64Url as toB64 } from '../../crypto/bytes.ts';
import type { BoxPublicKey, MemberId } from '../../crypto/keys.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { readName } from '../../group/members.ts';
import { DEVICE_LABEL_MAX_CHARS, type DeviceRecord, deviceKeyName, isDeviceId } from './records.ts';

declare module '../../group/GroupError.ts' {
  interface FeatureErrorCodes {
    'this-device': true;
  }
}

export interface DeviceView {
  readonly member: MemberId;
  readonly device: string;
  readonly label: string;
  readonly boxKey: BoxPublicKey;
  readonly unlinked: boolean;
  /** When the newest version was written (the link, or the unlink). */
  readonly at: number;
  readonly status: RecordStatus;
}

/** Who a new epoch key is sealed to for one member: its name in the record and the key. */
export interface SealTarget {
  readonly name: string;
  readonly boxKey: BoxPublicKey;
}

export class Devices {
  constructor(readonly group: Group) {}

  /** A member's devices with a valid record, linked ones first, then by label. */
  of(member: string): DeviceView[] {
    const prefix = `device:${member}:`;
    const out: DeviceView[] = [];
    for (const slot of this.group.slotsOf('device')) {
      if (!slot.startsWith(prefix)) continue;
      const valid = this.group
        .versions(slot)
        .filter((r) => r.kind === 'device' && this.group.status(r) === 'valid') as DeviceRecord[];
      // Versions come best first: a final (unlinked) version beats every other.
      const r = valid[0];
      if (!r || r.author !== member) continue;
      out.push({
        member: r.author,
        device: r.device,
        label: readName(r.label, 'A device', DEVICE_LABEL_MAX_CHARS),
        boxKey: fromBase64Url(r.boxKey) as BoxPublicKey,
        unlinked: r.unlinked,
        at: r.at,
        status: 'valid',
      });
    }
    return out.sort(
      (a, b) => Number(a.unlinked) - Number(b.unlinked) || a.label.localeCompare(b.label),
    );
  }

  /**
   * Where a new epoch key goes for `member`: their own key while they have no device record,
   * else each device still linked (every device holds the member's key, the lost one too).
   */
  sealTargets(member: string, memberBoxKey: BoxPublicKey): SealTarget[] {
    const all = this.of(member);
    if (all.length === 0) return [{ name: member, boxKey: memberBoxKey }];
    return all
      .filter((d) => !d.unlinked)
      .map((d) => ({ name: deviceKeyName(member, d.device), boxKey: d.boxKey }));
  }

  /**
   * True when the newest epoch key (named by `sealedTo`, the epoch record's key names; none
   * for the group's first key, which every device was given) may have reached a device of
   * `member` that is now unlinked: a new epoch must leave it out.
   */
  unlinkedHoldsKey(member: string, sealedTo: readonly string[] | undefined): boolean {
    const gone = this.of(member).filter((d) => d.unlinked);
    if (gone.length === 0) return false;
    if (sealedTo === undefined) return true;
    return gone.some(
      (d) => sealedTo.includes(member) || sealedTo.includes(deviceKeyName(member, d.device)),
    );
  }

  /** Unlinks one of `me`'s other devices; a new epoch without it follows. */
  unlink(me: Me, device: string): void {
    this.group.requireMember(me);
    if (me.device?.id === device) {
      throw new GroupError(
        'this-device',
        'This is the device you are using. Unlink it from another of your devices.',
      );
    }
    const d = this.of(me.id).find((x) => x.device === device);
    if (!d) throw new GroupError('not-found', 'That device is not linked to you in this group.');
    if (d.unlinked) return;
    writeDevice(this.group, me, { device, boxKey: d.boxKey, label: d.label, unlinked: true });
  }
}

/** Signs a device record of `me` (a link, or with `unlinked` the final unlink). */
export function writeDevice(
  group: Group,
  me: Me,
  d: { device: string; boxKey: Uint8Array; label: string; unlinked?: boolean },
): DeviceRecord {
  if (!isDeviceId(d.device)) throw new GroupError('bad-record', 'That is not a device id.');
  return group.write<DeviceRecord>(me, 'device', {
    device: d.device,
    boxKey: toB64(d.boxKey),
    label: d.label.slice(0, DEVICE_LABEL_MAX_CHARS),
    unlinked: d.unlinked === true,
  });
}
