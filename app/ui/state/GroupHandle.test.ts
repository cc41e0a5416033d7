// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { FEATURE_KINDS, featuresOf } from '../../core/features/registry.ts';
import { deriveItemId, newNonce, signRecord } from '../../core/group/canonical.ts';
import { Group } from '../../core/group/Group.ts';
import { GroupError } from '../../core/group/GroupError.ts';
import { RECORDS_MAP } from '../../core/group/records.ts';
import { Verifier } from '../../core/group/Verifier.ts';
import type { GroupRuntime, Hearth } from '../../core/hearth/Hearth.ts';
import { createIdentity } from '../../core/identity/Identity.ts';
import { parseInvite } from '../../core/invite/invite.ts';
import { bindFacade, createGroupHandle, type GroupHandle } from './GroupHandle.ts';
import { TEST_ACTIONS, testHearth } from './testHearth.ts';

const NO_PRESENCE = { view: { online: new Set(), lastSeen: new Map() }, onChange: () => () => {} };

describe('bindFacade', () => {
  class Counter {
    readonly group = 'hidden';
    add(me: { id: string }, n: number): string {
      return `${me.id}+${n}`;
    }
    peek(n: number): number {
      return n * 2;
    }
  }
  it('binds actions to the member read at call time and passes reads through', () => {
    let who = 'ann';
    const bound = bindFacade(new Counter(), ['add'], () => ({ id: who }) as never) as unknown as {
      add(n: number): string;
      peek(n: number): number;
      group?: unknown;
    };
    expect(bound.add(1)).toBe('ann+1');
    who = 'bob';
    expect(bound.add(2)).toBe('bob+2');
    expect(bound.peek(3)).toBe(6);
    expect(bound.group).toBeUndefined();
  });
  it('refuses an action the facade does not have', () => {
    expect(() => bindFacade(new Counter(), ['nope'], () => ({}) as never)).toThrow(
      /no action nope/,
    );
  });
});

async function twoMembers() {
  const ann = await testHearth('Ann');
  const bob = await testHearth('Bob', ann.mailbox);
  const art = await ann.hearth.createGroup('Garden');
  await art.ready;
  const brt = await bob.hearth.join(parseInvite(await ann.hearth.inviteLink(art.entry.groupId)));
  await brt.ready;
  await bob.hearth.flushAll();
  await art.pullNow();
  const a = (await ann.handles.open(art.entry.groupId)) as GroupHandle;
  const b = (await bob.handles.open(brt.entry.groupId)) as GroupHandle;
  return { ann, bob, art, brt, a, b };
}

describe('GroupHandle', () => {
  it('writes as the member and shows what arrives as checking until its check is in', async () => {
    const { ann, bob, brt, a, b } = await twoMembers();
    const id = a.discussion.startThread({ title: 'Seeds', body: 'Bring seeds' });
    expect(a.discussion.thread(id)?.author).toBe(ann.hearth.me.id);
    // Signed here; once the author's own member record is checked it shows as verified.
    a.trust(id, a.discussion.thread(id)!.status);
    await vi.waitFor(() => expect(a.trust(id, a.discussion.thread(id)!.status)).toBe('valid'));

    await ann.hearth.flushAll();
    await brt.pullNow();
    const arrived = b.discussion.thread(id)!;
    expect(arrived.status).toBe('checking');
    const before = b.version();
    expect(b.trust(id, arrived.status)).toBe('checking');
    await vi.waitFor(() => expect(b.version()).toBeGreaterThan(before));
    expect(b.discussion.thread(id)!.status).toBe('valid');
    expect(b.trust(id, b.discussion.thread(id)!.status)).toBe('valid');
    await ann.hearth.close();
    await bob.hearth.close();
  });

  it('hides a forged reply once checked, and never calls it verified', async () => {
    const { ann, bob, art, brt, a, b } = await twoMembers();
    const thread = a.discussion.startThread({ title: 'Bins', body: '' });
    await ann.hearth.flushAll();
    await brt.pullNow();
    // A key holder writes a reply under Ann's name, signed with their own key.
    const mallory = createIdentity('Mallory');
    const nonce = newNonce();
    const forged = signRecord(mallory, art.entry.groupId, {
      kind: 'reply',
      author: ann.hearth.me.id,
      v: 1,
      at: Date.now(),
      id: deriveItemId(ann.hearth.me.id, nonce),
      nonce,
      createdAt: Date.now(),
      threadId: thread,
      body: 'Bins are cancelled',
      mentions: [],
    });
    brt.group.doc.getMap(RECORDS_MAP).set(forged.sig, forged);
    const [reply] = b.discussion.replies(thread);
    expect(reply?.body).toBe('Bins are cancelled');
    expect(b.trust(reply!.id, reply!.status)).toBe('checking');
    await vi.waitFor(() => expect(b.discussion.replies(thread)).toEqual([]));
    expect(b.trust(reply!.id, b.discussion.item(reply!.id)?.status ?? 'unknown')).not.toBe('valid');
    await ann.hearth.close();
    await bob.hearth.close();
  });

  it('says a check could not run instead of falling back to genuine', async () => {
    const me = createIdentity('Ann');
    const group = Group.create({ name: 'G', me, kinds: FEATURE_KINDS });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(group.doc));
    const broken = new Verifier({
      name: 'broken',
      verifyAll: () => Promise.reject(new Error('no crypto here')),
    });
    const other = Group.open(copy, { groupId: group.id, kinds: FEATURE_KINDS, verifier: broken });
    const features = featuresOf(group);
    const id = features.discussion.startThread(me, { title: 'T', body: '' });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(group.doc));
    const rt = {
      entry: { groupId: other.id, name: 'G' },
      group: other,
      features: featuresOf(other),
      drafts: undefined,
      status: undefined,
      onStatus: () => () => {},
      presence: NO_PRESENCE,
    } as unknown as GroupRuntime;
    const hearth = { me, identity: me, personal: null } as unknown as Hearth;
    const h = createGroupHandle(hearth, rt, TEST_ACTIONS);
    const status = h.discussion.thread(id)!.status;
    expect(h.trust(id, status)).toBe('checking');
    const before = h.version();
    await vi.waitFor(() => expect(h.version()).toBeGreaterThan(before));
    expect(h.trust(id, h.discussion.thread(id)!.status)).toBe('unverifiable');
  });

  it('refuses every action in plain words once this device is no longer a member', () => {
    const me = createIdentity('Ann');
    const group = Group.create({ name: 'G', me, kinds: FEATURE_KINDS });
    const rt = {
      entry: { groupId: group.id, name: 'G' },
      group,
      features: featuresOf(group),
      drafts: undefined,
      status: undefined,
      onStatus: () => () => {},
      presence: NO_PRESENCE,
    } as unknown as GroupRuntime;
    let state: { kind: string } = { kind: 'member' };
    const hearth = {
      me,
      identity: me,
      personal: null,
      membershipOf: () => state,
    } as unknown as Hearth;
    const h = createGroupHandle(hearth, rt, TEST_ACTIONS);
    const id = h.discussion.startThread({ title: 'Before', body: '' });
    expect(h.discussion.thread(id)?.title).toBe('Before');
    state = { kind: 'removed' };
    let err: unknown;
    try {
      h.discussion.reply(id, 'after');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GroupError);
    expect((err as GroupError).code).toBe('removed');
    expect(h.discussion.replies(id)).toEqual([]);
  });
});
