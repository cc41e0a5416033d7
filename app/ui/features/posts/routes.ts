// Posts' places: the Posts tab, one post, and writing one.
import { defineRoute } from '../../router.ts';

export const postsRoute = defineRoute('posts', '/g/:groupId/posts');
export const newPostRoute = defineRoute('new-post', '/g/:groupId/p/new');
/** ActivityItem places name this route ('post', with groupId and postId). */
export const postRoute = defineRoute('post', '/g/:groupId/p/:postId');
