// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('location', { hash: '' });
vi.stubGlobal('window', { addEventListener: () => {} });
const { defineRoute, href, matchPath, pathParts, RouteTable } = await import('./router.ts');
const kernel = await import('./screens/routes.ts');
const discussion = await import('./features/discussion/routes.ts');
const posts = await import('./features/posts/routes.ts');

const defs = [...Object.values(kernel), ...Object.values(discussion), ...Object.values(posts)];
const table = new RouteTable(defs.map((def) => ({ def })));
const parse = (hash: string) => {
  const m = table.match(hash);
  return m ? { name: m.entry.def.name, ...m.params } : null;
};

describe('hash routes', () => {
  it('parses every screen from the one table', () => {
    expect(parse('')).toEqual({ name: 'home' });
    expect(parse('#/')).toEqual({ name: 'home' });
    expect(parse('#/new')).toEqual({ name: 'new-group' });
    expect(parse('#/join/abc_-1')).toEqual({ name: 'join', payload: 'abc_-1' });
    expect(parse('#/join/a/b')).toEqual({ name: 'join', payload: 'a/b' });
    expect(parse('#/g/G1')).toEqual({ name: 'group', groupId: 'G1' });
    expect(parse('#/g/G1/posts')).toEqual({ name: 'posts', groupId: 'G1' });
    expect(parse('#/g/G1/members')).toEqual({ name: 'members', groupId: 'G1' });
    expect(parse('#/g/G1/t/new')).toEqual({ name: 'new-thread', groupId: 'G1' });
    expect(parse('#/g/G1/t/T9')).toEqual({ name: 'thread', groupId: 'G1', threadId: 'T9' });
    expect(parse('#/g/G1/p/new')).toEqual({ name: 'new-post', groupId: 'G1' });
    expect(parse('#/g/G1/p/P2')).toEqual({ name: 'post', groupId: 'G1', postId: 'P2' });
    expect(parse('#/g/G1/invite')).toEqual({ name: 'invite', groupId: 'G1' });
    expect(parse('#/nowhere')).toBeNull();
    expect(parse('#/g/G1/t/T9/extra')).toBeNull();
  });

  it('links round-trip through the parser, encoding what needs it', () => {
    const link = href(discussion.threadRoute, { groupId: 'a b', threadId: 'c/d' });
    expect(link).toBe('#/g/a%20b/t/c%2Fd');
    expect(parse(link)).toEqual({ name: 'thread', groupId: 'a b', threadId: 'c/d' });
    expect(href(kernel.homeRoute)).toBe('#/');
    expect(href(kernel.joinRoute, { payload: 'x/y z' })).toBe('#/join/x/y%20z');
  });

  it('turns a feature place (route name and params) into a link', () => {
    expect(table.hrefByName('post', { groupId: 'G', postId: 'P' })).toBe('#/g/G/p/P');
    expect(table.hrefByName('thread', { groupId: 'G' })).toBeUndefined();
    expect(table.hrefByName('poll', { groupId: 'G' })).toBeUndefined();
  });

  it('refuses a name declared twice', () => {
    const a = defineRoute('x', '/a');
    const b = defineRoute('x', '/b');
    expect(() => new RouteTable([{ def: a }, { def: b }])).toThrow(/twice/);
  });

  it('matches segment by segment', () => {
    const r = defineRoute('r', '/g/:id/*rest');
    expect(matchPath(r, pathParts('#/g/1/a/b'))).toEqual({ id: '1', rest: 'a/b' });
    expect(matchPath(r, pathParts('#/g/1'))).toBeNull();
    expect(pathParts('#/g/%E0%A4%A')).toEqual(['g', '%E0%A4%A']);
  });
});
