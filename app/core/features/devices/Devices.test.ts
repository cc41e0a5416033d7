import { describe, expect, it } from 'vitest';
import { Group } from '../../group/Group.ts';
import {
  createDeviceKeys,
  createIdentity,
  identityFromJSON,
  identityToJSON,
} from '../../identity/Identity.ts';
import { openEpochKey, writeEpoch } from '../membership/index.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { deviceKeyName, deviceSlot, writeDevice } from './index.ts';

const laptop = { ...createIdentity('Ann'), device: createDeviceKeys('Laptop') };
const phone = { ...laptop, device: createDeviceKeys('Phone') };
const bob = createIdentity('Bob');

function setup() {
  let t = 1_000_000;
  const group = Group.create({
    name: 'G',
    me: laptop,
    clock: () => (t += 10),
    kinds: FEATURE_KINDS,
  });
  group.join(bob);
  return { group, ...featuresOf(group) };
}

const link = (group: Group, d: typeof laptop.device) =>
  writeDevice(group, laptop, { device: d.id, boxKey: d.box.publicKey, label: d.label });

describe('Devices', () => {
  it('keeps a device in the identity it belongs to', () => {
    const back = identityFromJSON(JSON.parse(JSON.stringify(identityToJSON(phone))));
    expect(back.device?.id).toBe(phone.device.id);
    expect(back.device?.box.publicKey).toEqual(phone.device.box.publicKey);
    const lazy = identityFromJSON(identityToJSON(phone), { checkKeys: false });
    expect(lazy.device?.label).toBe('Phone');
    expect(() => identityFromJSON({ ...identityToJSON(phone), device: { id: 'x' } })).toThrow();
  });

  it('seals epoch keys to the member until they link devices, then to each linked device', async () => {
    const { group, devices } = setup();
    const bobKey = group.member(bob.id)!.boxKey;
    expect(devices.sealTargets(bob.id, bobKey)).toEqual([{ name: bob.id, boxKey: bobKey }]);
    link(group, laptop.device);
    link(group, phone.device);
    await group.verify([...group.slotsOf('device')]);
    expect(devices.of(laptop.id).map((d) => d.label)).toEqual(['Laptop', 'Phone']);
    const { key, record } = writeEpoch(group, laptop, { prev: 'A'.repeat(22), removed: [] });
    expect(Object.keys(record.keys).sort()).toEqual(
      [
        bob.id,
        deviceKeyName(laptop.id, laptop.device.id),
        deviceKeyName(laptop.id, phone.device.id),
      ].sort(),
    );
    // Each device opens its own entry; the member key alone opens nothing.
    expect(openEpochKey(record, laptop)).toEqual(key);
    expect(openEpochKey(record, phone)).toEqual(key);
    expect(openEpochKey(record, { ...laptop, device: undefined })).toBeUndefined();
    expect(openEpochKey(record, bob)).toEqual(key);
  });

  it('an unlink is final, and only the member writes about their devices', async () => {
    const { group, devices } = setup();
    link(group, laptop.device);
    link(group, phone.device);
    // The laptop cannot unlink itself; it unlinks the phone.
    expect(() => devices.unlink(laptop, laptop.device.id)).toThrow(/device you are using/);
    await group.verify([...group.slotsOf('device')]);
    expect(devices.unlinkedHoldsKey(laptop.id, undefined)).toBe(false);
    devices.unlink(laptop, phone.device.id);
    await group.verify([...group.slotsOf('device')]);
    // A later "link" version of the same device does not bring it back.
    writeDevice(group, phone, {
      device: phone.device.id,
      boxKey: phone.device.box.publicKey,
      label: 'Phone',
    });
    await group.verify([...group.slotsOf('device')]);
    expect(devices.of(laptop.id).find((d) => d.device === phone.device.id)?.unlinked).toBe(true);
    expect(devices.unlinkedHoldsKey(laptop.id, undefined)).toBe(true);
    expect(devices.unlinkedHoldsKey(laptop.id, [laptop.id])).toBe(true);
    expect(devices.unlinkedHoldsKey(laptop.id, [deviceKeyName(laptop.id, laptop.device.id)])).toBe(
      false,
    );
    // Bob's record about "Ann's" device sits in Bob's own slot: it is not Ann's device.
    const fake = writeDevice(group, bob, {
      device: createDeviceKeys('x').id,
      boxKey: bob.box.publicKey,
      label: 'Ann’s tablet',
    });
    expect(deviceSlot(fake.author, fake.device)).toContain(bob.id);
    await group.verify([...group.slotsOf('device')]);
    expect(devices.of(laptop.id)).toHaveLength(2);
  });
});
