// Posts in the UI: the Posts tab, a post with its comments, writing one, and sharing.
import { lazy } from 'solid-js';
import type { Posts } from '../../../core/features/posts/Posts.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { newPostRoute, postRoute, postsRoute } from './routes.ts';

// Each screen is its own chunk, loaded when first shown: the first screen of the app (Home,
// a group's threads, a thread) does not carry them.
const NewPost = lazy(() => import('./NewPost.tsx').then((m) => ({ default: m.NewPost })));
const PostScreen = lazy(() => import('./PostScreen.tsx').then((m) => ({ default: m.PostScreen })));
const PostsList = lazy(() => import('./PostsList.tsx').then((m) => ({ default: m.PostsList })));

export const posts: UiFeature<'posts'> = {
  actions: actionList<Posts>()('createPost', 'comment', 'edit', 'remove', 'addShared'),
  routes: [
    screenRoute(postRoute, (p) => (
      <PostScreen groupId={p.params.groupId} postId={p.params.postId} />
    )),
    screenRoute(newPostRoute, (p) => <NewPost groupId={p.params.groupId} />),
  ],
  tab: { label: 'Posts', route: postsRoute, unread: 'posts', content: PostsList },
};
