// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('location', { hash: '' });
vi.stubGlobal('window', { addEventListener: () => {} });
const { parseRoute, href } = await import('./router.ts');

describe('hash routes', () => {
  it('parses every screen', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/new')).toEqual({ name: 'new-group' });
    expect(parseRoute('#/join/abc_-1')).toEqual({ name: 'join', payload: 'abc_-1' });
    expect(parseRoute('#/g/G1')).toEqual({ name: 'group', groupId: 'G1', tab: 'threads' });
    expect(parseRoute('#/g/G1/posts')).toEqual({ name: 'group', groupId: 'G1', tab: 'posts' });
    expect(parseRoute('#/g/G1/t/new')).toEqual({ name: 'new-thread', groupId: 'G1' });
    expect(parseRoute('#/g/G1/t/T9')).toEqual({ name: 'thread', groupId: 'G1', threadId: 'T9' });
    expect(parseRoute('#/g/G1/p/P2')).toEqual({ name: 'post', groupId: 'G1', postId: 'P2' });
    expect(parseRoute('#/g/G1/invite')).toEqual({ name: 'invite', groupId: 'G1' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'not-found', path: '/nowhere' });
  });
  it('href builders round-trip through the parser', () => {
    expect(parseRoute(href.thread('a b', 'c/d'))).toEqual({
      name: 'thread',
      groupId: 'a b',
      threadId: 'c/d',
    });
  });
});
