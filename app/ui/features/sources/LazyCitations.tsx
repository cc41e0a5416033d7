// Citation cards for any feature's screen, loaded on demand so that a thread or post opens
// without the library's code.
import { lazy } from 'solid-js';

export const Citations = lazy(() =>
  import('./Citations.tsx').then((m) => ({ default: m.Citations })),
);
