import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, DEFAULT_UPDATE_LIMITS, type UpdateCheck } from './checkUpdate.ts';

// Hang guard only: a hostile case must come back, and come back refused. Timing goals belong
// in benchmarks; this bound is far above what any case takes.
const HANG_GUARD_MS = 10_000;

function timed(update: Uint8Array, limits = {}): UpdateCheck {
  const start = Date.now();
  const res = checkUpdate(update, limits);
  expect(Date.now() - start).toBeLessThan(HANG_GUARD_MS);
  return res;
}

const refused = (res: UpdateCheck) => (res.ok ? 'accepted' : res.reason);

/** Raw v1 bytes, for updates no Yjs API would write. */
function raw(write: (w: (...n: number[]) => void, e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write((...n) => {
    for (const x of n) encoding.writeVarUint(e, x);
  }, e);
  return encoding.toUint8Array(e);
}

/** A deterministic pseudo-random byte source. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s >>> 24;
  };
}

const record = (i: number) => ({
  kind: 'reply',
  author: 'A'.repeat(43),
  v: 1,
  at: 1_700_000_000_000 + i,
  sig: 'S'.repeat(86),
  body: `hello ${i}`,
  mentions: [],
});

describe('checkUpdate accepts what honest devices write', () => {
  it('an empty update and a snapshot of 10,000 records', () => {
    expect(timed(Y.encodeStateAsUpdate(new Y.Doc())).ok).toBe(true);
    const doc = new Y.Doc();
    doc.transact(() => {
      const items = doc.getMap('items');
      for (let i = 0; i < 10_000; i++) items.set(`k${i}`, record(i));
    });
    const res = timed(Y.encodeStateAsUpdate(doc));
    expect(res).toMatchObject({ ok: true, structs: 10_000, conflictWork: 0 });
  });

  it('concurrent edits of text, maps, arrays and nested types, as snapshots and increments', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const increments: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => increments.push(u));
    b.on('update', (u: Uint8Array) => increments.push(u));
    const sync = () => {
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    };
    const rnd = prng(7);
    for (let round = 0; round < 60; round++) {
      for (const d of [a, b]) {
        const t = d.getText('t');
        for (let k = 0; k < 5; k++) t.insert(Math.floor((rnd() / 256) * (t.length + 1)), 'word ');
        if (t.length > 20) t.delete(Math.floor((rnd() / 256) * (t.length - 10)), 3);
        d.getMap('reads').set('same key', round);
        d.getArray('list').insert(0, [round]);
        const nested = new Y.Map<unknown>();
        d.getMap('tree').set(`n${round % 4}`, nested);
        nested.set('inner', new Y.Array());
        d.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
        d.getText('rich').insert(0, 'b', { bold: true });
        d.getText('rich').insertEmbed(0, { image: 'x' });
      }
      if (round % 3 === 0) sync();
    }
    sync();
    expect(a.getText('t').toString()).toBe(b.getText('t').toString());
    const snapshot = timed(Y.encodeStateAsUpdate(a));
    expect(snapshot.ok).toBe(true);
    for (const u of increments) expect(refused(checkUpdate(u))).toBe('accepted');
    // Merged updates may hold Skip structs where clocks are missing.
    expect(timed(Y.mergeUpdates(increments.filter((_, i) => i % 2 === 0))).ok).toBe(true);
  });

  it('one key written again and again by several devices at once', () => {
    const docs = [0, 1, 2, 3].map(() => new Y.Doc());
    const syncAll = () => {
      const all = Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d)));
      for (const d of docs) Y.applyUpdate(d, all);
    };
    for (let round = 0; round < 500; round++) {
      for (const d of docs) d.getMap('records').set('k', { round, body: 'x'.repeat(50) });
      syncAll();
    }
    const res = timed(Y.encodeStateAsUpdate(docs[0]!));
    expect(res.ok).toBe(true);
    // Linear in the writes (2,000 of them), not their square.
    if (res.ok) expect(res.conflictWork).toBeLessThan(20_000);
  });

  it('a list built by prepending, which sends every item to the same place', () => {
    const doc = new Y.Doc();
    const list = doc.getArray<number>('list');
    for (let i = 0; i < 5_000; i++) list.insert(0, [i]);
    expect(timed(Y.encodeStateAsUpdate(doc)).ok).toBe(true);
  });
});

describe('checkUpdate refuses hostile updates in bounded time', () => {
  it('over the size cap', () => {
    const u = new Uint8Array(DEFAULT_UPDATE_LIMITS.maxBytes + 1);
    expect(refused(timed(u))).toBe('too-large');
  });

  it('100,000 junk keys', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const items = doc.getMap('items');
      for (let i = 0; i < 100_000; i++) items.set(`k${i}`, i);
    });
    expect(refused(timed(Y.encodeStateAsUpdate(doc)))).toBe('too-many-structs');
  });

  it('100,000 delete ranges', () => {
    const u = raw((w) => {
      w(0, 1, 9, 100_000);
      for (let i = 0; i < 100_000; i++) w(i * 2, 1);
    });
    expect(refused(timed(u))).toBe('too-many-structs');
  });

  it('junk root types, which a Y.Doc can never drop', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 1000; i++) doc.getMap(`junk${i}`).set('k', 1);
    });
    expect(refused(timed(Y.encodeStateAsUpdate(doc)))).toBe('too-many-roots');
  });

  it('5 MB strings as text, map key or value', () => {
    const big = 'x'.repeat(5_000_000);
    const asText = new Y.Doc();
    asText.getText('t').insert(0, big);
    expect(refused(timed(Y.encodeStateAsUpdate(asText)))).toBe('string-too-large');
    const asKey = new Y.Doc();
    asKey.getMap('m').set(big, 1);
    expect(refused(timed(Y.encodeStateAsUpdate(asKey)))).toBe('string-too-large');
    const asValue = new Y.Doc();
    asValue.getMap('m').set('k', { body: big });
    expect(refused(timed(Y.encodeStateAsUpdate(asValue)))).toBe('string-too-large');
    const asBytes = new Y.Doc();
    asBytes.getMap('m').set('k', new Uint8Array(5_000_000));
    expect(refused(timed(Y.encodeStateAsUpdate(asBytes)))).toBe('string-too-large');
  });

  it('deep nesting: values, JSON and shared types', () => {
    // A value 100,000 arrays deep (lib0's writer would overflow its stack writing it).
    const deepValue = raw((w, e) => {
      w(1, 1, 5, 0);
      encoding.writeUint8(e, 8);
      w(1);
      encoding.writeVarString(e, 'm');
      w(1);
      for (let i = 0; i < 100_000; i++) {
        encoding.writeUint8(e, 117);
        w(1);
      }
      encoding.writeUint8(e, 126);
      w(0);
    });
    expect(refused(timed(deepValue))).toBe('too-deep');

    let json: unknown = 1;
    for (let i = 0; i < 1000; i++) json = { a: json };
    const embed = new Y.Doc();
    embed.getText('t').insertEmbed(0, json as object);
    expect(refused(timed(Y.encodeStateAsUpdate(embed)))).toBe('too-deep');

    const types = new Y.Doc();
    let parent = types.getMap<unknown>('root');
    for (let i = 0; i < 1000; i++) {
      const child = new Y.Map<unknown>();
      parent.set('c', child);
      parent = child;
    }
    expect(refused(timed(Y.encodeStateAsUpdate(types)))).toBe('too-deep');
  });

  it('every truncation of a valid update', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    doc.getMap('m').set('k', { a: [1, 2, 'three'] });
    doc.getText('t').delete(1, 2);
    const u = Y.encodeStateAsUpdate(doc);
    expect(checkUpdate(u).ok).toBe(true);
    for (let n = 0; n < u.length; n++) {
      expect(refused(timed(u.subarray(0, n)))).not.toBe('accepted');
    }
    expect(refused(checkUpdate(new Uint8Array([...u, 0])))).toBe('malformed');
  });

  it('random bytes', () => {
    const next = prng(42);
    for (let i = 0; i < 300; i++) {
      const u = new Uint8Array(1 + (i % 50) * 37);
      for (let k = 0; k < u.length; k++) u[k] = next();
      expect(refused(timed(u))).not.toBe('accepted');
    }
  });

  it('counts far beyond the bytes that follow them (the shape of yjs issue 687)', () => {
    const cases = [
      raw((w) => w(2 ** 50)), // client sections
      raw((w) => w(300_000, 0, 7, 4096, 0, 8, 0, 0, 9, 1)), // empty sections
      raw((w) => w(1, 2 ** 40, 5, 0, 0, 1)), // structs
      raw((w) => w(0, 1, 5, 2 ** 40)), // delete ranges
      raw((w, e) => {
        w(1, 1, 5, 0);
        encoding.writeUint8(e, 8);
        w(1);
        encoding.writeVarString(e, 'm');
        w(2 ** 40, 126); // values
      }),
      raw((w, e) => {
        w(1, 1, 5, 0);
        encoding.writeUint8(e, 4);
        w(1);
        encoding.writeVarString(e, 't');
        w(2 ** 40); // string length
      }),
      raw((w) => w(1, 1, 5, 0, 0, 2 ** 53)), // a number past 2^53
      raw((w) => w(1, 1, 5, 0, 0x7f, 1, 0)), // a GC struct with flags
      raw((w) => w(1, 2, 5, 0, 0, 0, 0, 1, 0)), // a struct of length 0
      raw((w) => w(2, 1, 5, 0, 0, 1, 1, 5, 9, 0, 1, 0)), // one client twice
      raw((w) => w(0, 1, 5, 2, 10, 5, 12, 1)), // overlapping delete ranges
    ];
    for (const u of cases) expect(refused(timed(u))).toBe('malformed');
  });

  it('items that point at themselves or in a cycle, and subdocuments', () => {
    const ownFuture = raw((w, e) => {
      w(1, 1, 5, 3);
      encoding.writeUint8(e, 8 | 0x80);
      w(5, 7, 1);
      encoding.writeUint8(e, 126);
      w(0);
    });
    expect(refused(timed(ownFuture))).toBe('malformed');
    const cycle = raw((w, e) => {
      w(2);
      for (const [client, other] of [
        [5, 6],
        [6, 5],
      ] as const) {
        w(1, client, 0);
        encoding.writeUint8(e, 8 | 0x80);
        w(other, 0, 1);
        encoding.writeUint8(e, 126);
      }
      w(0);
    });
    expect(refused(timed(cycle))).toBe('malformed');
    const sub = new Y.Doc();
    sub.getMap('m').set('doc', new Y.Doc());
    expect(refused(timed(Y.encodeStateAsUpdate(sub)))).toBe('unsupported');
  });

  // Yjs places concurrent items by scanning those already placed after the same left origin;
  // a few kilobytes of forks make that quadratic (these take seconds to minutes to apply).
  it('forks that make integration quadratic', () => {
    const forks = (n: number) =>
      raw((w, e) => {
        w(n + 1, n, 1, 0);
        for (let j = 0; j < n; j++) {
          if (j === 0) {
            encoding.writeUint8(e, 8);
            w(1);
            encoding.writeVarString(e, 'a');
          } else {
            encoding.writeUint8(e, 8 | 0x80);
            w(1, j - 1);
          }
          w(1);
          encoding.writeAny(e, j);
        }
        for (let j = 0; j < n; j++) {
          w(1, 1000 + j, 0);
          encoding.writeUint8(e, 8 | 0x80);
          w(1, j, 1);
          encoding.writeAny(e, -j);
        }
        w(0);
      });
    expect(refused(timed(forks(4000)))).toBe('too-costly');
    expect(checkUpdate(forks(20)).ok).toBe(true);

    // Concurrent items all aimed before a few far anchors.
    const anchored = raw((w, e) => {
      const n = 16_000;
      const k = 64;
      w(n + 1, k, 1, 0);
      for (let j = 0; j < k; j++) {
        if (j === 0) {
          encoding.writeUint8(e, 8);
          w(1);
          encoding.writeVarString(e, 'a');
        } else {
          encoding.writeUint8(e, 8 | 0x80);
          w(1, j - 1);
        }
        w(1);
        encoding.writeAny(e, j);
      }
      for (let i = 0; i < n; i++) {
        w(1, i + 2, 0);
        encoding.writeUint8(e, 8 | 0x40);
        w(1, i % k, 1);
        encoding.writeAny(e, -i);
      }
      w(0);
    });
    expect(refused(timed(anchored))).toBe('too-costly');

    // Many devices setting one map key at once.
    const oneKey = raw((w, e) => {
      const n = 20_000;
      w(n);
      for (let i = 0; i < n; i++) {
        w(1, i + 1, 0);
        encoding.writeUint8(e, 8 | 0x20);
        w(1);
        encoding.writeVarString(e, 'm');
        encoding.writeVarString(e, 'k');
        w(1);
        encoding.writeAny(e, i);
      }
      w(0);
    });
    expect(refused(timed(oneKey))).toBe('too-costly');
  });

  it('refusing leaves the Y.Doc as it was and usable', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'kept');
    const before = Y.encodeStateAsUpdate(doc);
    const hostile = Y.encodeStateAsUpdate(
      (() => {
        const d = new Y.Doc();
        d.getText('t').insert(0, 'x'.repeat(2_000_000));
        return d;
      })(),
    );
    const res = checkUpdate(hostile);
    if (res.ok) Y.applyUpdate(doc, hostile);
    expect(res.ok).toBe(false);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    doc.getText('t').insert(4, '!');
    expect(doc.getText('t').toString()).toBe('kept!');
  });

  it('takes its limits from the caller', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 'x'.repeat(100));
    const u = Y.encodeStateAsUpdate(doc);
    expect(checkUpdate(u).ok).toBe(true);
    expect(refused(checkUpdate(u, { maxStringBytes: 50 }))).toBe('string-too-large');
    expect(refused(checkUpdate(u, { maxBytes: 10 }))).toBe('too-large');
  });
});
