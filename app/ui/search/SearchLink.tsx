// The magnifier link to search that Home's and a group's top bars show. It carries no search
// code: the screen loads on demand when followed.
import { href } from '../router.ts';
import { groupSearchRoute, searchRoute } from './routes.ts';

export function SearchLink(props: { groupId?: string }) {
  return (
    <a
      class="button icon-button quiet"
      href={props.groupId ? href(groupSearchRoute, { groupId: props.groupId }) : href(searchRoute)}
    >
      <span class="visually-hidden">{props.groupId ? 'Search this group' : 'Search'}</span>
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        fill="none"
        stroke="currentColor"
        stroke-width="2.2"
        stroke-linecap="round"
      >
        <circle cx="10.5" cy="10.5" r="6.5" />
        <path d="m15.5 15.5 5 5" />
      </svg>
    </a>
  );
}
