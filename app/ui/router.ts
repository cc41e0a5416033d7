// Hash routing: every screen is a fragment (#/g/<id>/t/<thread>), so the relay's SPA fallback
// is never needed for navigation and invite keys (#/join/…) never reach a server.
import { createSignal } from 'solid-js';

export type Route =
  | { name: 'home' }
  | { name: 'new-group' }
  | { name: 'join'; payload: string }
  | { name: 'joining' }
  | { name: 'scan' }
  | { name: 'group'; groupId: string; tab: 'threads' | 'posts' | 'members' }
  | { name: 'thread'; groupId: string; threadId: string }
  | { name: 'new-thread'; groupId: string }
  | { name: 'post'; groupId: string; postId: string }
  | { name: 'new-post'; groupId: string }
  | { name: 'invite'; groupId: string }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c, d] = parts;
  if (parts.length === 0) return { name: 'home' };
  if (a === 'new' && parts.length === 1) return { name: 'new-group' };
  if (a === 'joining' && parts.length === 1) return { name: 'joining' };
  if (a === 'scan' && parts.length === 1) return { name: 'scan' };
  if (a === 'join' && b) return { name: 'join', payload: parts.slice(1).join('/') };
  if (a === 'g' && b) {
    if (!c) return { name: 'group', groupId: b, tab: 'threads' };
    if ((c === 'posts' || c === 'members') && !d) return { name: 'group', groupId: b, tab: c };
    if (c === 'invite') return { name: 'invite', groupId: b };
    if (c === 't' && d === 'new') return { name: 'new-thread', groupId: b };
    if (c === 't' && d) return { name: 'thread', groupId: b, threadId: d };
    if (c === 'p' && d === 'new') return { name: 'new-post', groupId: b };
    if (c === 'p' && d) return { name: 'post', groupId: b, postId: d };
  }
  return { name: 'not-found', path };
}

export const href = {
  home: () => '#/',
  newGroup: () => '#/new',
  scan: () => '#/scan',
  group: (g: string) => `#/g/${encodeURIComponent(g)}`,
  posts: (g: string) => `#/g/${encodeURIComponent(g)}/posts`,
  members: (g: string) => `#/g/${encodeURIComponent(g)}/members`,
  invite: (g: string) => `#/g/${encodeURIComponent(g)}/invite`,
  thread: (g: string, t: string) => `#/g/${encodeURIComponent(g)}/t/${encodeURIComponent(t)}`,
  newThread: (g: string) => `#/g/${encodeURIComponent(g)}/t/new`,
  post: (g: string, p: string) => `#/g/${encodeURIComponent(g)}/p/${encodeURIComponent(p)}`,
  newPost: (g: string) => `#/g/${encodeURIComponent(g)}/p/new`,
};

const [route, setRoute] = createSignal<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => setRoute(parseRoute(location.hash)));

export { route };

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    history.replaceState(null, '', to);
    setRoute(parseRoute(location.hash));
  } else {
    location.hash = to.replace(/^#/, '');
  }
}
