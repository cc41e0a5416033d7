// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { Group } from '../../core/group/Group.ts';
import { recentActivity } from '../../core/group/ReadState.ts';
import { createIdentity } from '../../core/identity/Identity.ts';

vi.stubGlobal('location', { hash: '' });
vi.stubGlobal('window', { addEventListener: () => {} });
const { activityLine } = await import('./activity.ts');

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

describe('activityLine', () => {
  it('describes each kind of item and links to its thread or post', () => {
    let t = 0;
    const clock = () => (t += 10);
    const g = Group.create({ name: 'Garden', me: ann, clock });
    g.join(bob);
    const other = Group.create({ name: 'Family', me: ann, clock });
    const thread = g.startThread(ann, { title: 'Seed swap', body: '' });
    g.reply(bob, thread, 'I have basil');
    const post = g.createPost(bob, { title: 'Plan', body: '# Beds' });
    g.comment(ann, post, 'Nice');
    other.addShared(ann, g.shareSource(post));

    const byGroup = new Map([
      [g.id, g],
      [other.id, other],
    ]);
    const lines = recentActivity([g, other]).map((e) => activityLine(e, byGroup.get(e.groupId)));
    expect(lines.map((l) => l.text)).toEqual([
      'Ann shared “Plan” from Garden',
      'Ann commented on “Plan”',
      'Bob posted “Plan”',
      'Bob replied to “Seed swap”',
      'Ann started “Seed swap”',
    ]);
    const enc = encodeURIComponent;
    expect(lines[1]!.href).toBe(`#/g/${enc(g.id)}/p/${enc(post)}`);
    expect(lines[3]!.href).toBe(`#/g/${enc(g.id)}/t/${enc(thread)}`);
    expect(lines[0]!.groupName).toBe('Family');
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort((a, b) => b - a));
  });

  it('falls back to plain words when the parent has not arrived', () => {
    const g = Group.create({ name: 'Garden', me: ann });
    const thread = g.startThread(ann, { title: 'Seed swap', body: '' });
    g.reply(ann, thread, 'hello');
    const [entry] = recentActivity([g]);
    expect(activityLine(entry!, undefined).text).toBe('Ann replied to a conversation');
  });
});
