// Posts in the UI: the Posts tab, a post with its comments, writing one, and sharing.
import type { Posts } from '../../../core/features/posts/Posts.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { NewPost } from './NewPost.tsx';
import { PostScreen } from './PostScreen.tsx';
import { PostsList } from './PostsList.tsx';
import { newPostRoute, postRoute, postsRoute } from './routes.ts';

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
