// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { FEATURE_KINDS, featureList, featuresOf } from '../../core/features/registry.ts';
import { recentActivity } from '../../core/features/unread.ts';
import { Group } from '../../core/group/Group.ts';
import { createIdentity } from '../../core/identity/Identity.ts';

vi.stubGlobal('location', { hash: '' });
vi.stubGlobal('window', { addEventListener: () => {} });
const { RouteTable } = await import('../router.ts');
const discussion = await import('../features/discussion/routes.ts');
const posts = await import('../features/posts/routes.ts');
const { activityLine } = await import('./activity.ts');

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const table = new RouteTable(
  [...Object.values(discussion), ...Object.values(posts)].map((def) => ({ def })),
);
const linkTo = (place: { route: string; params: Readonly<Record<string, string>> }) =>
  table.hrefByName(place.route, place.params);

describe('activityLine', () => {
  it('words each feature item and links to its place through the route table', () => {
    let t = 0;
    const clock = () => (t += 10);
    const g = Group.create({ name: 'Garden', me: ann, clock, kinds: FEATURE_KINDS });
    g.join(bob);
    const other = Group.create({ name: 'Family', me: ann, clock, kinds: FEATURE_KINDS });
    const gf = featuresOf(g);
    const of = featuresOf(other);
    const thread = gf.discussion.startThread(ann, { title: 'Seed swap', body: '' });
    gf.discussion.reply(bob, thread, 'I have basil');
    const post = gf.posts.createPost(bob, { title: 'Plan', body: '# Beds' });
    gf.posts.comment(ann, post, 'Nice');
    of.posts.addShared(ann, gf.posts.shareSource(post));

    const entries = recentActivity([
      { group: g, features: featureList(gf) },
      { group: other, features: featureList(of) },
    ]);
    const lines = entries.map((e) => activityLine(e, linkTo));
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
    expect(lines[0]!.key).toBe(`${other.id}/${lines[0]!.id}`);
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort((a, b) => b - a));
    // Written on this device, so already checked, except the shared copy: the original's
    // signature is someone else's and waits for a check like any record that arrives.
    expect(lines.map((l) => l.status)).toEqual(['checking', 'valid', 'valid', 'valid', 'valid']);
  });

  it('shows a place this version has no screen for as words without a link', () => {
    const g = Group.create({ name: 'Garden', me: ann, kinds: FEATURE_KINDS });
    const f = featuresOf(g);
    f.discussion.startThread(ann, { title: 'Seed swap', body: '' });
    const [entry] = recentActivity([{ group: g, features: featureList(f) }]);
    expect(activityLine(entry!, () => undefined)).toMatchObject({
      text: 'Ann started “Seed swap”',
      href: undefined,
    });
  });

  it('says "Someone" when the author has no member record here', () => {
    const g = Group.create({ name: 'Garden', me: ann, kinds: FEATURE_KINDS });
    const f = featuresOf(g);
    f.discussion.startThread(ann, { title: 'Seed swap', body: '' });
    const [entry] = recentActivity([{ group: g, features: featureList(f) }]);
    const anonymous = { ...entry!, item: { ...entry!.item, authorName: null } };
    expect(activityLine(anonymous, linkTo).text).toBe('Someone started “Seed swap”');
  });
});
