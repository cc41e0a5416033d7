// Every feature's part of the UI, one line each. A new feature is a folder under
// app/ui/features (its routes, screens, tab and actions) plus one line here; the router, the
// App and the group's tab bar are generated from this list.

import { decisions } from './decisions/index.tsx';
import { devices } from './devices/index.ts';
import { discussion } from './discussion/index.tsx';
import type { UiFeatures } from './Feature.ts';
import { invites } from './invites/index.ts';
import { membership } from './membership/index.ts';
import { notes } from './notes/index.tsx';
import { origin } from './origin/index.ts';
import { pins } from './pins/index.ts';
import { posts } from './posts/index.tsx';
import { reactions } from './reactions/index.ts';
import { sources } from './sources/index.tsx';

export const FEATURES: UiFeatures = {
  discussion,
  posts,
  notes,
  reactions,
  pins,
  membership,
  invites,
  origin,
  devices,
  sources,
  decisions,
};
