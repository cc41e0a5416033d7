import { describe, expect, it } from 'vitest';
import { utf8 } from '../core/crypto/bytes.ts';
import type { StorageChunk } from '../core/storage/StorageAdapter.ts';
import { bootScreen } from './firstPaint.ts';
import { href } from './router.ts';
import { groupRoute } from './screens/routes.ts';

const row = (groupId: string, name: string, joinedAt: number): StorageChunk => ({
  key: ['groups', groupId],
  data: utf8(JSON.stringify({ v: 1, groupId, name, groupKey: 'k', relays: [], joinedAt })),
});
const identity: StorageChunk[] = [{ key: ['identity'], data: utf8('{}') }];

describe('bootScreen', () => {
  it('shows Home’s group list in joining order, linking where the app links', () => {
    const groups = [row('b/2', 'Book club', 20), row('a 1', 'Allotment', 10)];
    const screen = bootScreen({ lock: [], identity, groups }, '');
    expect(screen).toEqual({
      kind: 'home',
      groups: [
        { name: 'Allotment', href: href(groupRoute, { groupId: 'a 1' }) },
        { name: 'Book club', href: href(groupRoute, { groupId: 'b/2' }) },
      ],
    });
    expect(bootScreen({ lock: [], identity, groups }, '#/')).toEqual(screen);
  });

  it('skips a damaged registry row, as the app does', () => {
    const damaged: StorageChunk = { key: ['groups', 'x'], data: utf8('{"v":1,"groupId":"x"') };
    const noKey: StorageChunk = {
      key: ['groups', 'y'],
      data: utf8(JSON.stringify({ v: 1, groupId: 'y', name: 'Y', relays: [], joinedAt: 1 })),
    };
    const screen = bootScreen(
      { lock: [], identity, groups: [damaged, noKey, row('g', 'Good', 1)] },
      '',
    );
    expect(screen).toEqual({ kind: 'home', groups: [{ name: 'Good', href: '#/g/g' }] });
  });

  it('welcomes a first visit on any address', () => {
    expect(bootScreen({ lock: [], identity: [], groups: [] }, '')).toEqual({ kind: 'welcome' });
    expect(bootScreen({ lock: [], identity: [], groups: [] }, '#/join/abc')).toEqual({
      kind: 'welcome',
    });
  });

  it('paints nothing while the app lock is on, or for any screen but Home', () => {
    const lock: StorageChunk[] = [{ key: ['lock'], data: utf8('{}') }];
    expect(bootScreen({ lock, identity: [], groups: [] }, '')).toBeNull();
    expect(bootScreen({ lock, identity, groups: [row('g', 'G', 1)] }, '')).toBeNull();
    expect(bootScreen({ lock: [], identity, groups: [] }, '#/g/g')).toBeNull();
    expect(bootScreen({ lock: [], identity, groups: [] }, '#/settings')).toBeNull();
  });
});
