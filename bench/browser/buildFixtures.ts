// Builds the benchmark's stored data in Node with the app's own core: Hearth over a
// MemoryStorage, the real relay's mailbox over HTTP, EncryptedDocStore compaction. The rows it
// writes are the exact bytes the app would keep in IndexedDB after syncing such a group.
// Usage: node --import tsx bench/browser/buildFixtures.ts <relay ws url> <out.json>
import { createPrivateKey, sign as edSign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HttpMailbox } from '../../app/adapters/HttpMailbox.ts';
import { toBase64Url, utf8 } from '../../app/core/crypto/bytes.ts';
import type { MemberId } from '../../app/core/crypto/keys.ts';
import { deriveItemId, newNonce, signedText, signRecord } from '../../app/core/group/canonical.ts';
import { RECORDS_MAP } from '../../app/core/group/records.ts';
import type { SignatureCheck } from '../../app/core/group/Verifier.ts';
import { type GroupRuntime, Hearth, type HearthEnv } from '../../app/core/hearth/Hearth.ts';
import { createIdentity, type Identity } from '../../app/core/identity/Identity.ts';
import { parseInvite } from '../../app/core/invite/invite.ts';
import { MemoryStorage } from '../../app/core/storage/MemoryStorage.ts';
import type { Mailbox } from '../../app/core/sync/Mailbox.ts';

/** One IndexedDB row as IdbStorage writes it: the key array and the value bytes (base64). */
export interface FixtureRow {
  readonly key: string[];
  readonly data: string;
}

export interface DeviceFixture {
  readonly rows: FixtureRow[];
  readonly groupId: string;
  readonly threadId?: string;
}

export interface Fixtures {
  /** A device in a group of `threads` discussion threads. */
  readonly big: DeviceFixture & { readonly threads: number };
  /** A device in a group whose one thread has `replies` replies. */
  readonly longThread: DeviceFixture & { readonly threadId: string; readonly replies: number };
  /** A member's everyday device: one group of one thread with 20 replies. */
  readonly small: DeviceFixture & { readonly threadId: string; readonly replies: number };
  /** Two devices of two members in one group with one thread, both synced. */
  readonly sync: {
    readonly a: DeviceFixture;
    readonly b: DeviceFixture;
    readonly threadId: string;
  };
  /** A device in a group with one note of `chars` characters written in `edits` edits. */
  readonly longNote: DeviceFixture & {
    readonly noteId: string;
    readonly chars: number;
    readonly edits: number;
  };
  /** Distinct, valid signature checks (the big group's thread records). */
  readonly checks: SignatureCheck[];
}

export interface FixtureOptions {
  /** The relay the groups name (ws://host/signal); the browser bench serves the app from it. */
  readonly relay: string;
  readonly threads?: number;
  readonly replies?: number;
  /** Defaults to the relay's HTTP mailbox, so the relay then holds what the devices uploaded. */
  readonly mailboxFor?: (relayUrl: string) => Mailbox;
}

type MailboxFor = (relayUrl: string) => Mailbox;
const httpMailbox: MailboxFor = (relayUrl) => new HttpMailbox({ relayUrl, timeoutMs: 60_000 });

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Ed25519 signatures are deterministic, so Node's native signer gives the very bytes
 * tweetnacl would, about a hundred times faster. Checked against tweetnacl on first use.
 */
function fastSigner(me: Identity): (message: Uint8Array) => Uint8Array {
  const seed = me.signing.secretKey.subarray(0, 32);
  const key: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return (message) => new Uint8Array(edSign(null, message, key));
}

export class Author {
  readonly #sign: (m: Uint8Array) => Uint8Array;
  #checked = false;
  constructor(readonly me: Identity) {
    this.#sign = fastSigner(me);
  }

  /** Version 1 of an item exactly as the kernel's write path builds it, signed natively. */
  record(groupId: string, fields: Record<string, unknown>, createdAt: number) {
    const nonce = newNonce();
    const id = deriveItemId(this.me.id, nonce);
    const unsigned = { ...fields, id, nonce, author: this.me.id, v: 1, at: createdAt, createdAt };
    const sig = toBase64Url(this.#sign(utf8(signedText(groupId, unsigned))));
    if (!this.#checked) {
      if (signRecord(this.me, groupId, unsigned).sig !== sig) {
        throw new Error('native ed25519 signature differs from tweetnacl');
      }
      this.#checked = true;
    }
    return Object.freeze({ ...unsigned, sig });
  }
}

const WORDS = (
  'garden seeds tomato basil rain market bike repair picnic school recipe bread ' +
  'music rehearsal lake weekend library hike tools paint kitchen neighbours tea chess'
).split(' ');

/** Plain, varied text of roughly `chars` characters, deterministic in `i`. */
function prose(i: number, chars: number): string {
  const out: string[] = [];
  let n = 0;
  let k = i * 7919;
  while (n < chars) {
    k = (k * 1103515245 + 12345) % 2147483648;
    const w = WORDS[k % WORDS.length]!;
    out.push(w);
    n += w.length + 1;
  }
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

function newDevice(
  relay: string,
  mailboxFor: MailboxFor,
): { env: HearthEnv; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const origin = relay.replace(/^ws/, 'http').replace(/\/signal$/, '');
  const env: HearthEnv = {
    storage,
    origin,
    defaultRelay: relay,
    mailboxFor,
  };
  return { env, storage };
}

async function dumpRows(storage: MemoryStorage): Promise<FixtureRow[]> {
  const rows = await storage.loadRange([]);
  return rows.map((r) => ({ key: [...r.key], data: Buffer.from(r.data).toString('base64') }));
}

/** Everything written is stored, uploaded, pulled back and compacted: a settled device. */
async function settle(hearth: Hearth, rt: GroupRuntime): Promise<void> {
  await rt.ready;
  await hearth.flushAll();
  await hearth.pullAll();
  await hearth.flushAll();
  if (rt.status?.pendingUploads) throw new Error('the relay did not take the fixture upload');
  await rt.store.compact();
}

/** Members who write in a group besides the device's own member. */
function joinOthers(rt: GroupRuntime, names: readonly string[]): Author[] {
  return names.map((name) => {
    const me = createIdentity(name);
    rt.group.join(me);
    return new Author(me);
  });
}

async function buildBig(relay: string, mailboxFor: MailboxFor, threads: number) {
  const { env, storage } = newDevice(relay, mailboxFor);
  const hearth = await Hearth.load(env);
  const me = await hearth.setUp('Robin');
  const rt = await hearth.createGroup('Neighbourhood');
  const groupId = rt.entry.groupId;
  const authors = [new Author(me), ...joinOthers(rt, ['Sam', 'Alex', 'Kim', 'Noor', 'Jo'])];
  const records = rt.group.doc.getMap(RECORDS_MAP);
  const start = Date.now() - threads * 60_000;
  const checks: SignatureCheck[] = [];
  rt.group.doc.transact(() => {
    for (let i = 0; i < threads; i++) {
      const author = authors[i % authors.length]!;
      const record = author.record(
        groupId,
        {
          kind: 'thread',
          title: `${prose(i, 24)} #${i}`,
          body: prose(i + 1, 160),
          mentions: [],
        },
        start + i * 60_000,
      );
      records.set(record.sig, record);
      checks.push({
        signer: record.author as MemberId,
        text: signedText(groupId, record),
        sig: record.sig,
      });
    }
  });
  // Counts only records the app reads: a malformed one would be missing here.
  if (rt.features.discussion.threads().length !== threads) {
    throw new Error('the big group lost threads');
  }
  await settle(hearth, rt);
  await hearth.close();
  return { rows: await dumpRows(storage), groupId, threads, checks };
}

async function buildLongThread(relay: string, mailboxFor: MailboxFor, replies: number) {
  const { env, storage } = newDevice(relay, mailboxFor);
  const hearth = await Hearth.load(env);
  const me = await hearth.setUp('Robin');
  const rt = await hearth.createGroup('Book club');
  const groupId = rt.entry.groupId;
  const authors = [new Author(me), ...joinOthers(rt, ['Sam', 'Alex', 'Kim', 'Noor'])];
  const threadId = rt.features.discussion.startThread(me, {
    title: 'What should we read next?',
    body: prose(1, 300),
  });
  const records = rt.group.doc.getMap(RECORDS_MAP);
  const start = Date.now() - replies * 60_000;
  rt.group.doc.transact(() => {
    for (let i = 0; i < replies; i++) {
      const author = authors[i % authors.length]!;
      const body = i % 5 === 0 ? `**${prose(i, 20)}** ${prose(i + 3, 180)}` : prose(i, 200);
      const record = author.record(
        groupId,
        { kind: 'reply', threadId, body, mentions: [] },
        start + i * 60_000,
      );
      records.set(record.sig, record);
    }
  });
  if (rt.features.discussion.replies(threadId).length !== replies) {
    throw new Error('the thread lost replies');
  }
  await settle(hearth, rt);
  await hearth.close();
  return { rows: await dumpRows(storage), groupId, threadId, replies };
}

async function buildSync(relay: string, mailboxFor: MailboxFor) {
  const a = newDevice(relay, mailboxFor);
  const hearthA = await Hearth.load(a.env);
  const ana = await hearthA.setUp('Ana');
  const rtA = await hearthA.createGroup('Latency lab');
  const groupId = rtA.entry.groupId;
  const threadId = rtA.features.discussion.startThread(ana, {
    title: 'Ping',
    body: 'Replies land here.',
  });
  await settle(hearthA, rtA);

  const b = newDevice(relay, mailboxFor);
  const hearthB = await Hearth.load(b.env);
  await hearthB.setUp('Ben');
  const rtB = await hearthB.join(parseInvite(await hearthA.inviteLink(groupId)));
  await settle(hearthB, rtB);
  await settle(hearthA, rtA);
  if (!rtB.features.discussion.thread(threadId) || rtA.group.members().length !== 2) {
    throw new Error('the two sync devices did not converge through the relay');
  }
  await hearthA.close();
  await hearthB.close();
  return {
    a: { rows: await dumpRows(a.storage), groupId, threadId },
    b: { rows: await dumpRows(b.storage), groupId, threadId },
    threadId,
  };
}

/**
 * One note written the way people write: `edits` separate changes (typing at varied places,
 * with some deletions), each stored as the app stores it, until it holds `chars` characters.
 */
async function buildLongNote(relay: string, mailboxFor: MailboxFor, chars: number, edits: number) {
  const { env, storage } = newDevice(relay, mailboxFor);
  const hearth = await Hearth.load(env);
  const me = await hearth.setUp('Robin');
  const rt = await hearth.createGroup('Research');
  const noteId = rt.features.notes.createNote(me, 'Field notes');
  const note = await rt.notes.open(noteId);
  const per = Math.ceil(chars / edits);
  for (let i = 0; i < edits; i++) {
    const len = note.text.length;
    const at = len === 0 ? 0 : (i * 7919) % len;
    // Every tenth change also deletes a few characters before inserting.
    if (i % 10 === 9 && len > 20) note.text.delete(at, Math.min(5, len - at));
    const need = chars - note.text.length;
    const add = i === edits - 1 ? need : Math.min(need, per + (i % 10 === 9 ? 5 : 0));
    // Each change ends a line. (prose() returns at least `add` characters, so cutting
    // `${prose}\n` to length, as this did before, always cut the newline: the note was one
    // line of 50,000 characters, which no member writes and no editor lays out quickly.)
    if (add > 0)
      note.text.insert(Math.min(at, note.text.length), `${prose(i, add).slice(0, add - 1)}\n`);
    if (i % 50 === 49) await note.store.flush();
  }
  if (note.text.length !== chars) throw new Error(`the note has ${note.text.length} characters`);
  rt.features.notes.recordRevision(me, noteId, note.text.toString());
  await settle(hearth, rt);
  await note.store.compact();
  await hearth.close();
  return { rows: await dumpRows(storage), groupId: rt.entry.groupId, noteId, chars, edits };
}

export async function buildFixtures(options: FixtureOptions): Promise<Fixtures> {
  const mailboxFor = options.mailboxFor ?? httpMailbox;
  const { checks, ...big } = await buildBig(options.relay, mailboxFor, options.threads ?? 10_000);
  const longThread = await buildLongThread(options.relay, mailboxFor, options.replies ?? 1000);
  const small = await buildLongThread(options.relay, mailboxFor, 20);
  const sync = await buildSync(options.relay, mailboxFor);
  const longNote = await buildLongNote(options.relay, mailboxFor, 50_000, 2_000);
  return { big, longThread, small, sync, longNote, checks };
}

const [relayArg, outArg] = process.argv.slice(2);
if (relayArg && outArg && import.meta.url === pathToFileURL(resolve(process.argv[1]!)).href) {
  const fixtures = await buildFixtures({
    relay: relayArg,
    ...(process.env.BENCH_THREADS ? { threads: Number(process.env.BENCH_THREADS) } : {}),
    ...(process.env.BENCH_REPLIES ? { replies: Number(process.env.BENCH_REPLIES) } : {}),
  });
  await writeFile(outArg, JSON.stringify(fixtures));
}
