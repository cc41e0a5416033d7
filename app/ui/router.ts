// Hash routing: every screen is a fragment (#/g/<id>/t/<thread>), so the relay's SPA fallback
// is never needed for navigation and invite keys (#/join/…) never reach a server. This is the
// engine only: a route is a name and a path pattern ('/g/:groupId/t/:threadId', '/join/*payload'),
// and parsing, links and the App's screen switch are all generated from the one table in
// routes.ts. Screens link with `href(someRoute, params)`, which the compiler checks against the
// route's own path.
import { createSignal } from 'solid-js';

/** The names of the parameters in a path pattern: `:name` for one segment, `*name` for the rest. */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : P extends `${string}*${infer Name}`
      ? Name
      : never;

/** The parameters of a path pattern, all strings. */
export type Params<P extends string = string> = string extends P
  ? Readonly<Record<string, string>>
  : { readonly [K in ParamNames<P>]: string };

/** A named path pattern. Declared once, by the kernel or by the feature that owns the screen. */
export interface RouteDef<P extends string = string> {
  readonly name: string;
  readonly path: P;
}

export function defineRoute<const P extends string>(name: string, path: P): RouteDef<P> {
  if (!path.startsWith('/')) throw new Error(`route ${name}: a path starts with /`);
  return { name, path };
}

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'rest'; readonly name: string };

const compiled = new WeakMap<RouteDef, readonly Segment[]>();

function segmentsOf(def: RouteDef): readonly Segment[] {
  let segs = compiled.get(def);
  if (!segs) {
    segs = def.path
      .split('/')
      .filter(Boolean)
      .map((s): Segment => {
        if (s.startsWith(':')) return { kind: 'param', name: s.slice(1) };
        if (s.startsWith('*')) return { kind: 'rest', name: s.slice(1) };
        return { kind: 'literal', text: s };
      });
    compiled.set(def, segs);
  }
  return segs;
}

/** The parameters when `parts` (decoded path segments) fit `def`, else null. */
export function matchPath(def: RouteDef, parts: readonly string[]): Record<string, string> | null {
  const segs = segmentsOf(def);
  const params: Record<string, string> = {};
  for (const [i, seg] of segs.entries()) {
    if (seg.kind === 'rest') {
      if (i >= parts.length) return null;
      params[seg.name] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === 'literal') {
      if (part !== seg.text) return null;
    } else params[seg.name] = part;
  }
  return parts.length === segs.length ? params : null;
}

/** Literal segments beat parameters, which beat a rest: '/g/:id/t/new' wins over '/g/:id/t/:t'. */
function moreSpecific(a: RouteDef, b: RouteDef): number {
  const rank = (s: Segment | undefined): number =>
    s === undefined ? 0 : s.kind === 'literal' ? 3 : s.kind === 'param' ? 2 : 1;
  const sa = segmentsOf(a);
  const sb = segmentsOf(b);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const d = rank(sb[i]) - rank(sa[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/** Splits a location hash ('#/g/G1/t/T9') into decoded path segments. */
export function pathParts(hash: string): string[] {
  const path = hash.replace(/^#/, '') || '/';
  return path
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
}

/** The link to a route: `href(threadRoute, { groupId, threadId })`. */
export function href<P extends string>(
  def: RouteDef<P>,
  ...params: [ParamNames<P>] extends [never] ? [] : [NoInfer<Params<P>>]
): string {
  const values = (params[0] ?? {}) as Readonly<Record<string, string>>;
  const out = segmentsOf(def).map((seg) => {
    if (seg.kind === 'literal') return seg.text;
    const value = values[seg.name];
    if (value === undefined || value === '') {
      throw new Error(`route ${def.name}: parameter ${seg.name} is missing`);
    }
    return seg.kind === 'rest'
      ? value.split('/').map(encodeURIComponent).join('/')
      : encodeURIComponent(value);
  });
  return `#/${out.join('/')}`;
}

/** One entry of a route table: which route and what to do with its parameters. */
export interface Match<T> {
  readonly entry: T;
  readonly params: Readonly<Record<string, string>>;
}

/** A table of routes, searched most specific first. */
export class RouteTable<T extends { readonly def: RouteDef }> {
  readonly #entries: readonly T[];
  readonly #byName = new Map<string, T>();

  constructor(entries: readonly T[]) {
    for (const e of entries) {
      if (this.#byName.has(e.def.name)) throw new Error(`route ${e.def.name} is declared twice`);
      this.#byName.set(e.def.name, e);
    }
    this.#entries = [...entries].sort((a, b) => moreSpecific(a.def, b.def));
  }

  /** The entry and parameters for a location hash, or null when no route fits. */
  match(hash: string): Match<T> | null {
    const parts = pathParts(hash);
    for (const entry of this.#entries) {
      const params = matchPath(entry.def, parts);
      if (params) return { entry, params };
    }
    return null;
  }

  get(name: string): T | undefined {
    return this.#byName.get(name);
  }

  /**
   * The link to a route named at run time (an ActivityItem's place), or undefined when this
   * version has no such route or a parameter is missing.
   */
  hrefByName(name: string, params: Readonly<Record<string, string>>): string | undefined {
    const entry = this.#byName.get(name);
    if (!entry) return undefined;
    try {
      return (href as (d: RouteDef, p: Readonly<Record<string, string>>) => string)(
        entry.def,
        params,
      );
    } catch {
      return undefined;
    }
  }
}

// --- the current location ---------------------------------------------------------------------

const [hash, setHash] = createSignal(typeof location === 'undefined' ? '' : location.hash);
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => setHash(location.hash));
}

/** The location hash, as a signal. */
export { hash };

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    history.replaceState(null, '', to);
    setHash(location.hash);
  } else {
    location.hash = to.replace(/^#/, '');
  }
}
