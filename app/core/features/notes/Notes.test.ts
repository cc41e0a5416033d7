import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signRecord } from '../../group/canonical.ts';
import { Group } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { RECORDS_MAP } from '../../group/records.ts';
import { createIdentity, type Identity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { linkSpans, openLinkAt, parseLinks, textHash, titleKey } from './index.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const mallory = createIdentity('Mallory');

function make(me: Identity, ...others: Identity[]) {
  let t = 1_000_000;
  const group = Group.create({ name: 'Lab', me, clock: () => (t += 10), kinds: FEATURE_KINDS });
  for (const o of others) group.join(o);
  return { group, ...featuresOf(group) };
}

describe('note links', () => {
  it('finds [[titles]], ignores broken and empty ones, and dedupes by title key', () => {
    const text = 'See [[Seed  bank]] and [[seed bank]], [[]] [[a\nb]] [[Compost]] [x] [[ Soil ]]';
    expect(parseLinks(text)).toEqual(['Seed bank', 'Compost', 'Soil']);
    expect(linkSpans('x [[A]] y')).toEqual([{ from: 2, to: 7, title: 'A' }]);
    expect(parseLinks('no links here')).toEqual([]);
    expect(parseLinks(`[[${'x'.repeat(201)}]]`)).toEqual([]);
    expect(titleKey('  Seed\tBANK ')).toBe('seed bank');
  });

  it('knows the title being typed after an unclosed [[', () => {
    expect(openLinkAt('Read [[Gar', 10)).toEqual({ from: 7, query: 'Gar' });
    expect(openLinkAt('Read [[Garden]] now', 19)).toBeUndefined();
    expect(openLinkAt('[[a\nnext', 8)).toBeUndefined();
    expect(openLinkAt('[[', 2)).toEqual({ from: 2, query: '' });
  });
});

describe('Notes: the index of a group’s notes', () => {
  it('resolves links by current and former titles, so renaming breaks no link', () => {
    const { notes } = make(ann, bob);
    const garden = notes.createNote(ann, 'Garden plan');
    const log = notes.createNote(bob, 'Log');
    notes.recordRevision(bob, log, 'Today: see [[garden plan]].');
    expect(notes.backlinks(garden).map((n) => n.id)).toEqual([log]);
    // Bob renames Ann's note; the link written with the old title still leads there.
    notes.rename(bob, garden, 'Garden 2027');
    expect(notes.note(garden)).toMatchObject({
      title: 'Garden 2027',
      formerTitles: ['Garden plan'],
    });
    expect(notes.resolve('Garden plan')).toBe(garden);
    expect(notes.resolve('GARDEN 2027')).toBe(garden);
    expect(notes.backlinks(garden).map((n) => n.id)).toEqual([log]);
    expect(notes.linkTarget('garden plan')).toEqual({ noteId: garden, title: 'Garden 2027' });
    expect(notes.linkTarget('Nowhere')).toEqual({ title: 'Nowhere' });
    // A title another note has now is refused; a freed former title can be taken, and wins.
    expect(() => notes.rename(ann, log, 'garden 2027')).toThrow(GroupError);
    expect(() => notes.createNote(ann, 'Log')).toThrow(/already/);
    const fresh = notes.createNote(ann, 'Garden plan');
    expect(notes.resolve('Garden plan')).toBe(fresh);
    expect(notes.ensureNote(bob, 'garden plan')).toBe(fresh);
    const made = notes.ensureNote(bob, 'Brand new');
    expect(notes.note(made)?.title).toBe('Brand new');
    expect(notes.titleCandidates('gar').map((n) => n.title)).toEqual([
      'Garden plan',
      'Garden 2027',
    ]);
  });

  it('signs revisions: who, when, what text they saw; checks text against them', () => {
    const { notes } = make(ann, bob);
    const id = notes.createNote(ann, 'Minutes');
    expect(notes.recordRevision(ann, id, 'First draft')).toBeDefined();
    // The same text again by the same member is not news.
    expect(notes.recordRevision(ann, id, 'First draft')).toBeUndefined();
    notes.recordRevision(bob, id, 'First draft, fixed by Bob [[Agenda]]');
    const [newest, older] = notes.revisions(id);
    expect(newest).toMatchObject({
      authorName: 'Bob',
      chars: 36,
      links: ['Agenda'],
      status: 'valid',
    });
    expect(older).toMatchObject({ authorName: 'Ann', hash: textHash('First draft') });
    expect(notes.matches(newest!, 'First draft, fixed by Bob [[Agenda]]')).toBe(true);
    expect(notes.matches(newest!, 'First draft, fixed by Bob [[Agenda]]!')).toBe(false);
    expect(notes.note(id)?.lastRevision?.id).toBe(newest!.id);
    expect(notes.recent(5).map((a) => a.action)).toContain('edited the note “Minutes”');
  });

  it('a revision record with a changed hash is found forged', async () => {
    const { group, notes } = make(ann, bob);
    const id = notes.createNote(ann, 'Minutes');
    const revId = notes.recordRevision(bob, id, 'Honest text')!;
    const real = group.head(revId)!;
    const { sig: _sig, ...fields } = real as unknown as Record<string, unknown>;
    // Mallory re-signs Bob's revision with another hash, as version 2.
    const forged = signRecord(mallory, group.id, { ...fields, v: 2, hash: textHash('Lies') });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(group.doc));
    other.getMap(RECORDS_MAP).set(forged.sig, forged);
    Y.applyUpdate(group.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(group.doc)));
    await group.verify([revId]);
    expect(notes.revisions(id)[0]).toMatchObject({
      hash: textHash('Honest text'),
      status: 'valid',
    });
  });

  it('lists the threads, replies, posts and comments that cite a note', () => {
    const { notes, discussion, posts } = make(ann, bob);
    const id = notes.createNote(ann, 'Seed list');
    const t = discussion.startThread(bob, {
      title: 'Swap day',
      body: 'Bring what is on [[Seed list]]',
    });
    const p = posts.createPost(ann, { title: 'Report', body: 'Nothing cited' });
    posts.comment(bob, p, 'See [[seed list]] too');
    notes.rename(ann, id, 'Seeds');
    const cites = notes.citedBy(id);
    expect(cites.map((c) => c.label)).toEqual(['Comment on “Report”', 'Thread “Swap day”']);
    expect(cites[1]!.place).toEqual({
      route: 'thread',
      params: { groupId: notes.group.id, threadId: t },
    });
    expect(cites[0]!.place.params.postId).toBe(p);
  });
});
