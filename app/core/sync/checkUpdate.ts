// The gate every Yjs update from outside this device passes before it touches a Y.Doc: mailbox
// blobs and live WebRTC messages alike. Anyone who ever held an invite link can write validly
// sealed updates, so the bytes are hostile until this parser, which reads the whole update
// with its own bounds-checked reader, has found them well formed and within limits. Nothing is
// allocated from a declared count before the bytes to back it are known to be there, so every
// answer costs time and memory linear in the update's size, whatever it claims.
//
// Beyond the Yjs decoder's own checks, it refuses what it would accept but pay for badly:
// struct counts over the limit (100,000 junk keys), huge strings, values or types nested past
// a depth, junk root types (they can never be removed from a Y.Doc), and item graphs whose
// integration is quadratic: Yjs orders concurrent items by scanning the ones already placed
// between an item's left and right origins, so a few kilobytes of forks can lock a thread for
// minutes. That scan is bounded from the update's own origin graph (see `conflictWork`).
//
// Only the v1 encoding is accepted (the app, y-webrtc and the mailbox all use it); the v2
// decoder, which has run-length encodings a crafted update can make spin (yjs issue 687), is
// never called on untrusted bytes.
import * as Y from 'yjs';

export interface UpdateLimits {
  /** Largest update, in bytes. */
  readonly maxBytes: number;
  /** Most structs plus delete-set ranges in one update. */
  readonly maxStructs: number;
  /** Longest string or binary value (text, a string or byte array in a value, JSON), in bytes. */
  readonly maxStringBytes: number;
  /** Longest key: root type names, map keys, keys inside values, format and XML names. */
  readonly maxKeyBytes: number;
  /** Deepest nesting of arrays and objects in a value, and of shared types in one another. */
  readonly maxDepth: number;
  /** Most distinct root types one update may name. */
  readonly maxRootTypes: number;
  /** Bound on the conflict-resolution scan steps integrating the update can take. */
  readonly maxConflictWork: number;
}

/**
 * The limits for every update from the relay or a peer. An honest update is far inside them:
 * a snapshot of a group with 10,000 records holds about 10,000 structs in 2.5 MB, and names
 * a handful of root types; 50,000 structs of honest records would not fit in 8 MiB anyway.
 */
export const DEFAULT_UPDATE_LIMITS: UpdateLimits = Object.freeze({
  maxBytes: 8 * 1024 * 1024,
  maxStructs: 50_000,
  maxStringBytes: 1024 * 1024,
  maxKeyBytes: 1024,
  maxDepth: 32,
  maxRootTypes: 64,
  maxConflictWork: 1_000_000,
});

export type UpdateRejection =
  | 'too-large'
  | 'malformed'
  | 'too-many-structs'
  | 'string-too-large'
  | 'too-deep'
  | 'too-many-roots'
  | 'too-costly'
  | 'unsupported';

export type UpdateCheck =
  | { readonly ok: true; readonly structs: number; readonly conflictWork: number }
  | { readonly ok: false; readonly reason: UpdateRejection; readonly detail: string };

class Rejected {
  constructor(
    readonly reason: UpdateRejection,
    readonly detail: string,
  ) {}
}

const reject = (reason: UpdateRejection, detail: string): never => {
  throw new Rejected(reason, detail);
};
const malformed = (detail: string): never => reject('malformed', detail);

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A reader that throws on every read past the end and every number past 2^53. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(): number {
    if (this.pos >= this.bytes.length) malformed('cut short');
    return this.bytes[this.pos++]!;
  }

  varUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const r = this.u8();
      num += (r & 0x7f) * mult;
      if (num > MAX_SAFE) malformed('a number is out of range');
      if (r < 0x80) return num;
      mult *= 128;
    }
  }

  varInt(): void {
    const first = this.u8();
    if (first < 0x80) return;
    let num = first & 0x3f;
    let mult = 64;
    for (;;) {
      const r = this.u8();
      num += (r & 0x7f) * mult;
      if (num > MAX_SAFE) malformed('a number is out of range');
      if (r < 0x80) return;
      mult *= 128;
    }
  }

  skip(n: number): void {
    if (n > this.remaining) malformed('cut short');
    this.pos += n;
  }

  /** A length-prefixed byte string, by offsets (nothing is copied). */
  span(max: number, what: string): [number, number] {
    const n = this.varUint();
    if (n > this.remaining) malformed(`${what} is cut short`);
    if (n > max) reject('string-too-large', `${what} of ${n} bytes`);
    const start = this.pos;
    this.pos += n;
    return [start, this.pos];
  }

  /** A count of things that each take at least `minBytes`; refused when the bytes cannot hold them. */
  count(minBytes: number, what: string): number {
    const n = this.varUint();
    if (n * minBytes > this.remaining)
      malformed(`${what}: ${n} declared, the rest cannot hold them`);
    return n;
  }
}

const decoder = new TextDecoder();

/** Struct kinds in the v1 info byte (its low five bits). */
const GC = 0;
const SKIP = 10;
const CONTENT_DELETED = 1;
const CONTENT_JSON = 2;
const CONTENT_BINARY = 3;
const CONTENT_STRING = 4;
const CONTENT_EMBED = 5;
const CONTENT_FORMAT = 6;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const CONTENT_DOC = 9;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;
const TYPE_MAX = 6;

/** One item (not GC or Skip) in the update, as the conflict bound needs it. */
interface Node {
  readonly client: number;
  readonly clock: number;
  readonly isType: boolean;
  readonly origin: [number, number] | null;
  readonly right: [number, number] | null;
  readonly parentId: [number, number] | null;
  /** Root type name or parent id, with the map key: what groups items without a left origin. */
  readonly label: string | null;
}

interface Section {
  /** Start clock of each struct in the section. */
  readonly clocks: number[];
  /** Index into nodes, or -1 for GC and Skip. */
  readonly nodes: number[];
  end: number;
}

class Parser {
  private readonly r: Reader;
  private readonly limits: UpdateLimits;
  private budget: number;
  readonly nodes: Node[] = [];
  readonly sections = new Map<number, Section>();
  private readonly roots = new Set<string>();

  constructor(bytes: Uint8Array, limits: UpdateLimits) {
    this.r = new Reader(bytes);
    this.limits = limits;
    this.budget = limits.maxStructs;
  }

  get structs(): number {
    return this.limits.maxStructs - this.budget;
  }

  parse(): void {
    const r = this.r;
    const clients = r.count(4, 'client sections');
    for (let c = 0; c < clients; c++) this.section();
    const dsClients = r.count(2, 'delete-set clients');
    const seen = new Set<number>();
    for (let c = 0; c < dsClients; c++) {
      const client = r.varUint();
      if (seen.has(client)) malformed('a client appears twice in the delete set');
      seen.add(client);
      const ranges = r.count(2, 'delete ranges');
      this.spend(ranges);
      let end = 0;
      for (let i = 0; i < ranges; i++) {
        const clock = r.varUint();
        const len = r.varUint();
        if (len === 0) malformed('an empty delete range');
        if (clock < end) malformed('delete ranges overlap or are out of order');
        end = clock + len;
        if (end > MAX_SAFE) malformed('a delete range is out of range');
      }
    }
    if (r.remaining !== 0) malformed(`${r.remaining} bytes after the update`);
  }

  private spend(n: number): void {
    if (n > this.budget) {
      reject('too-many-structs', `over ${this.limits.maxStructs} structs and delete ranges`);
    }
    this.budget -= n;
  }

  private section(): void {
    const r = this.r;
    const count = r.count(2, 'structs');
    if (count === 0) malformed('an empty client section');
    this.spend(count);
    const client = r.varUint();
    if (this.sections.has(client)) malformed('a client appears twice');
    let clock = r.varUint();
    const section: Section = { clocks: [], nodes: [], end: clock };
    this.sections.set(client, section);
    for (let i = 0; i < count; i++) {
      section.clocks.push(clock);
      const info = r.u8();
      const kind = info & 0x1f;
      let length: number;
      if (kind === GC || kind === SKIP) {
        // Yjs's two decoders disagree on flag bits here; honest encoders never set them.
        if (info !== kind) malformed('a GC or Skip struct with flags');
        length = r.varUint();
        section.nodes.push(-1);
      } else {
        const hasOrigin = (info & 0x80) !== 0;
        const hasRight = (info & 0x40) !== 0;
        const origin = hasOrigin ? this.id(client, clock, 'left origin') : null;
        const right = hasRight ? this.id(client, clock, 'right origin') : null;
        let parentId: [number, number] | null = null;
        let label: string | null = null;
        if (!hasOrigin && !hasRight) {
          const isRoot = r.varUint() === 1;
          if (isRoot) {
            const [s, e] = r.span(this.limits.maxKeyBytes, 'a root type name');
            const name = decoder.decode(this.r.bytes.subarray(s, e));
            this.roots.add(name);
            if (this.roots.size > this.limits.maxRootTypes) {
              reject('too-many-roots', `over ${this.limits.maxRootTypes} root types`);
            }
            label = `r${name}`;
          } else {
            parentId = this.id(client, clock, 'parent');
            label = `i${parentId[0]}:${parentId[1]}`;
          }
          if ((info & 0x20) !== 0) {
            const [s, e] = r.span(this.limits.maxKeyBytes, 'a key');
            label += `\u0000${decoder.decode(this.r.bytes.subarray(s, e))}`;
          }
        }
        const [len, isType] = this.content(kind);
        length = len;
        section.nodes.push(this.nodes.length);
        this.nodes.push({ client, clock, isType, origin, right, parentId, label });
      }
      if (length === 0) malformed('a struct of length 0');
      clock += length;
      if (clock > MAX_SAFE) malformed('a clock is out of range');
    }
    section.end = clock;
  }

  /** An id an item refers to; its own client's must come before it. */
  private id(client: number, clock: number, what: string): [number, number] {
    const c = this.r.varUint();
    const k = this.r.varUint();
    if (c === client && k >= clock) malformed(`a ${what} that does not come before its item`);
    return [c, k];
  }

  /** Reads an item's content; returns its length (clock units) and whether it is a shared type. */
  private content(kind: number): [number, boolean] {
    const r = this.r;
    const l = this.limits;
    switch (kind) {
      case CONTENT_DELETED:
        return [r.varUint(), false];
      case CONTENT_JSON: {
        const n = r.count(1, 'JSON values');
        for (let i = 0; i < n; i++) {
          const [s, e] = r.span(l.maxStringBytes, 'a JSON value');
          const text = decoder.decode(r.bytes.subarray(s, e));
          if (text !== 'undefined') this.json(text);
        }
        return [n, false];
      }
      case CONTENT_BINARY:
        r.span(l.maxStringBytes, 'a binary value');
        return [1, false];
      case CONTENT_STRING: {
        const [s, e] = r.span(l.maxStringBytes, 'a string');
        // Its length in clock units is in UTF-16 code units; only zero matters here.
        return [e - s, false];
      }
      case CONTENT_EMBED: {
        const [s, e] = r.span(l.maxStringBytes, 'an embed');
        this.json(decoder.decode(r.bytes.subarray(s, e)));
        return [1, false];
      }
      case CONTENT_FORMAT: {
        r.span(l.maxKeyBytes, 'a key');
        const [s, e] = r.span(l.maxStringBytes, 'a format value');
        this.json(decoder.decode(r.bytes.subarray(s, e)));
        return [1, false];
      }
      case CONTENT_TYPE: {
        const ref = r.varUint();
        if (ref > TYPE_MAX) malformed(`unknown type ${ref}`);
        if (ref === TYPE_XML_ELEMENT || ref === TYPE_XML_HOOK) r.span(l.maxKeyBytes, 'a key');
        return [1, true];
      }
      case CONTENT_ANY: {
        const n = r.count(1, 'values');
        for (let i = 0; i < n; i++) this.any(1);
        return [n, false];
      }
      case CONTENT_DOC:
        return reject('unsupported', 'subdocuments are not used');
      default:
        return malformed(`unknown content ${kind}`);
    }
  }

  /** lib0's `readAny`, bounded in depth. */
  private any(depth: number): void {
    const r = this.r;
    const tag = r.u8();
    if (tag === 127 || tag === 126 || tag === 121 || tag === 120) return; // undefined null false true
    if (tag === 125) r.varInt();
    else if (tag === 124) r.skip(4);
    else if (tag === 123 || tag === 122) r.skip(8);
    else if (tag === 119) r.span(this.limits.maxStringBytes, 'a string');
    else if (tag === 116) r.span(this.limits.maxStringBytes, 'a binary value');
    else if (tag === 118 || tag === 117) {
      if (depth > this.limits.maxDepth) {
        reject('too-deep', `a value nested over ${this.limits.maxDepth} deep`);
      }
      const n = r.count(tag === 118 ? 2 : 1, 'entries');
      for (let i = 0; i < n; i++) {
        if (tag === 118) r.span(this.limits.maxKeyBytes, 'a key');
        this.any(depth + 1);
      }
    } else malformed(`unknown value tag ${tag}`);
  }

  /** Valid JSON, nested no deeper than the limit (checked before parsing). */
  private json(text: string): void {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (inString) {
        if (ch === 0x5c) i++;
        else if (ch === 0x22) inString = false;
      } else if (ch === 0x22) {
        inString = true;
      } else if (ch === 0x5b || ch === 0x7b) {
        if (++depth > this.limits.maxDepth) {
          reject('too-deep', `JSON nested over ${this.limits.maxDepth} deep`);
        }
      } else if (ch === 0x5d || ch === 0x7d) {
        depth--;
      }
    }
    try {
      JSON.parse(text);
    } catch {
      malformed('invalid JSON');
    }
  }

  /** The item holding (client, clock) in this update, -1 if it is elsewhere or not an item. */
  nodeAt(id: [number, number] | null): number {
    if (!id) return -1;
    const s = this.sections.get(id[0]);
    if (!s || id[1] < (s.clocks[0] ?? 0) || id[1] >= s.end) return -1;
    let lo = 0;
    let hi = s.clocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.clocks[mid]! <= id[1]) lo = mid;
      else hi = mid - 1;
    }
    return s.nodes[lo]!;
  }
}

/**
 * An upper bound on the steps Yjs's conflict resolution takes to integrate the update's items
 * among themselves, with the type nesting depth checked on the way.
 *
 * Items with the same left origin (or, without one, the same parent and key) are siblings.
 * Integrating one scans siblings already placed after its left origin, with everything that
 * descends from them, until its right origin. It never scans itself, the siblings that depend
 * on it (those whose chain of right origins leads to it), its right origin and what lies
 * beyond it, nor past a sibling with the same right origin and a client id not below its own
 * (Yjs stops there); the rest is counted, plus, for a map item without a left origin, the walk
 * back to its key's first value. Honest edits cost almost nothing here (an insert has
 * the item after it as its right origin; concurrent map writes continue from the highest
 * client's); forks crafted to make every scan long cost the square of their number.
 */
function conflictWork(p: Parser, limits: UpdateLimits): number {
  const nodes = p.nodes;
  const n = nodes.length;
  const origin = new Int32Array(n);
  const right = new Int32Array(n);
  const parent = new Int32Array(n);
  // Dependents of each node, for a topological order (dependencies first).
  const pending = new Int32Array(n);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    origin[i] = p.nodeAt(node.origin);
    right[i] = p.nodeAt(node.right);
    parent[i] = p.nodeAt(node.parentId);
    const deps = [origin[i]!, right[i]!, parent[i]!];
    for (let k = 0; k < 3; k++) {
      const d = deps[k]!;
      if (d >= 0 && deps.indexOf(d) === k) {
        pending[i]!++;
        dependents[d]!.push(i);
      }
    }
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) order.push(i);
  for (let k = 0; k < order.length; k++) {
    for (const d of dependents[order[k]!]!) if (--pending[d]! === 0) order.push(d);
  }
  if (order.length !== n) malformed('items depend on one another in a cycle');

  // Dependencies first: the group label (parent and key) and the enclosing type of each item.
  const label: string[] = new Array(n);
  const typeOf = new Int32Array(n);
  const depth = new Int32Array(n);
  for (const i of order) {
    const node = nodes[i]!;
    const via = origin[i]! >= 0 ? origin[i]! : right[i]!;
    label[i] = node.label ?? (via >= 0 ? label[via]! : '?');
    if (node.parentId) {
      const t = parent[i]!;
      if (t >= 0 && !nodes[t]!.isType) malformed('an item whose parent is not a type');
      typeOf[i] = t;
    } else {
      typeOf[i] = via >= 0 ? typeOf[via]! : -1;
    }
    if (node.isType) {
      depth[i] = (typeOf[i]! >= 0 ? depth[typeOf[i]!]! : 0) + 1;
      if (depth[i]! > limits.maxDepth) {
        reject('too-deep', `shared types nested over ${limits.maxDepth} deep`);
      }
    }
  }

  // Sibling groups: by left origin (an item here, or an id elsewhere), else by parent and key.
  const groupIds = new Map<string, number>();
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = nodes[i]!.origin;
    if (origin[i]! >= 0) group[i] = origin[i]!;
    else {
      const key = o ? `o${o[0]}:${o[1]}` : `p${label[i]}`;
      let g = groupIds.get(key);
      if (g === undefined) {
        g = n + groupIds.size;
        groupIds.set(key, g);
      }
      group[i] = g;
    }
  }
  const groups = n + groupIds.size;
  const members = new Int32Array(groups);
  const sizeSum = new Float64Array(groups);

  // Dependents first: subtree sizes along left origins, and what hangs on each item through
  // sibling right origins.
  const size = new Float64Array(n);
  const hanging = new Float64Array(n);
  const sibRight = (i: number) =>
    right[i]! >= 0 && group[right[i]!] === group[i] ? right[i]! : -1;
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    size[i]! += 1;
    if (origin[i]! >= 0) size[origin[i]!]! += size[i]!;
  }
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    hanging[i]! += size[i]!;
    const sr = sibRight(i);
    if (sr >= 0) hanging[sr]! += hanging[i]!;
    members[group[i]!]!++;
    sizeSum[group[i]!]! += size[i]!;
  }
  // Siblings that stop a scan: same right origin, client id not below. Per group and right
  // origin, sorted by client: the size of those at or above each item's client.
  const stoppers = new Float64Array(n);
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (members[group[i]!]! < 2) continue;
    const r = nodes[i]!.right;
    const key = `${group[i]} ${r ? `${r[0]}:${r[1]}` : '-'}`;
    const b = buckets.get(key);
    if (b) b.push(i);
    else buckets.set(key, [i]);
  }
  for (const b of buckets.values()) {
    if (b.length < 2) continue;
    b.sort((x, y) => nodes[x]!.client - nodes[y]!.client);
    let above = 0;
    for (let k = b.length - 1; k >= 0; ) {
      // Items of one client stop one another too: take them together.
      let first = k;
      const client = nodes[b[k]!]!.client;
      while (first > 0 && nodes[b[first - 1]!]!.client === client) first--;
      for (let m = first; m <= k; m++) above += size[b[m]!]!;
      for (let m = first; m <= k; m++) stoppers[b[m]!] = above - size[b[m]!]!;
      k = first - 1;
    }
  }
  // Dependencies first: the size of each item's chain of sibling right origins.
  const rightward = new Float64Array(n);
  let work = 0;
  for (const i of order) {
    const sr = sibRight(i);
    rightward[i] = size[i]! + (sr >= 0 ? rightward[sr]! : 0);
    const g = group[i]!;
    if (members[g]! < 2) continue;
    const excluded = hanging[i]! + (sr >= 0 ? rightward[sr]! : 0) + stoppers[i]!;
    work += Math.max(0, sizeSum[g]! - excluded);
    // A map item without a left origin first walks back to the first value of its key.
    if (nodes[i]!.origin === null && label[i]!.includes('\u0000')) work += sizeSum[g]!;
    if (work > limits.maxConflictWork) {
      reject('too-costly', `integrating it would take over ${limits.maxConflictWork} steps`);
    }
  }
  return work;
}

/**
 * Checks an untrusted Yjs (v1) update before it is applied; never throws. Apply it only when
 * the answer is ok, and keep nothing of it otherwise.
 */
export function checkUpdate(update: Uint8Array, limits: Partial<UpdateLimits> = {}): UpdateCheck {
  const l: UpdateLimits = { ...DEFAULT_UPDATE_LIMITS, ...limits };
  if (update.length > l.maxBytes) {
    return { ok: false, reason: 'too-large', detail: `${update.length} bytes` };
  }
  try {
    const p = new Parser(update, l);
    p.parse();
    const work = conflictWork(p, l);
    // Our parse mirrors Yjs's; let its own decoder confirm, now that it cannot run away.
    Y.decodeUpdate(update);
    return { ok: true, structs: p.structs, conflictWork: work };
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, reason: e.reason, detail: e.detail };
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : String(e) };
  }
}
