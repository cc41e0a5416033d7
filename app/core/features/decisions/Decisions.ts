// Proposals and polls: from a discussion to a recorded decision. Which ballots count is one
// deterministic rule (docs/ARCHITECTURE.md, "Decisions"), the same on every device holding
// the same records:
// - closed (a close record signed by the item's author): exactly the ballot versions its
//   `counted` list names, nothing else, whenever and however they arrive;
// - open: each remaining member's newest valid ballot; after the deadline (by the signed
//   `at` of each version), each remaining member's newest valid version signed at or before
//   the deadline, until the author's device writes the close.
import { toBase64Url } from '../../crypto/bytes.ts';
import type { MemberId } from '../../crypto/keys.ts';
import { deriveItemId, newNonce } from '../../group/canonical.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import {
  BODY_MAX_CHARS,
  checkBody,
  checkTitle,
  childrenOf,
  countChildrenSince,
  createItem,
  type ItemViewBase,
  isTombstone,
  itemViewBase,
  mentionsIn,
  requireLive,
} from '../../group/items.ts';
import { memberSlot, readName } from '../../group/members.ts';
import type { SignedRecord } from '../../group/records.ts';
import {
  type ActivityItem,
  type Awaiting,
  activityOf,
  type Conversation,
  type Feature,
  type Place,
  type SearchDoc,
  searchDocsOf,
} from '../Feature.ts';
import { Membership } from '../membership/Membership.ts';
import { type Count, countMatter } from './count.ts';
import {
  type BallotRecord,
  ballotSlot,
  CITES_MAX,
  type CloseRecord,
  closeSlot,
  isMethod,
  isStance,
  type MatterRecord,
  OPTIONS_MAX,
  OPTIONS_MIN,
  type Outcome,
  type PollMethod,
  type PollRecord,
  REASON_MAX_CHARS,
  type ReplyRecord,
  STATEMENT_MAX_CHARS,
  type Stance,
} from './records.ts';
import { ballotKeyPair, sealBallot } from './seal.ts';
import { isValidChoice } from './tally.ts';

// This feature's own refusal codes (see FeatureErrorCodes): no edit to the kernel.
declare module '../../group/GroupError.ts' {
  interface FeatureErrorCodes {
    closed: true;
    'not-proposer': true;
    'bad-choice': true;
    'still-checking': true;
  }
}

/** The tab its lists live under. */
export const DECIDE_TAB = 'decide';
const INVALID: ReadonlySet<RecordStatus> = new Set(['forged', 'not-a-member', 'unknown']);

export interface CloseView {
  readonly outcome: Outcome;
  readonly statement: string;
  readonly at: number;
  readonly status: RecordStatus;
  /** Counted ballots that have not reached this device yet. */
  readonly missing: number;
}

export interface MatterView extends ItemViewBase, Count {
  readonly kind: 'proposal' | 'poll';
  readonly title: string;
  readonly deadline?: number;
  readonly quorum?: number;
  readonly method?: PollMethod;
  readonly options: readonly string[];
  /** Ballots are sealed until the close. */
  readonly hiddenUntilClose: boolean;
  readonly from?: string;
  readonly cites: readonly string[];
  /** 'due': past its deadline by this device's clock, waiting for the proposer's close. */
  readonly state: 'open' | 'due' | 'closed';
  readonly close?: CloseView;
  /** Remaining members with no counted ballot. */
  readonly waiting: readonly MemberId[];
  readonly replyCount: number;
  readonly lastActivity: number;
}

export interface ReplyView extends ItemViewBase {
  readonly kind: 'decision-reply';
  readonly targetId: string;
}

/** One line of the decision log. */
export interface DecisionEntry {
  readonly id: string;
  readonly kind: 'proposal' | 'poll';
  readonly title: string;
  readonly outcome: Outcome;
  readonly statement: string;
  readonly closedAt: number;
  readonly place: Place;
}

export interface ProposalInput {
  readonly title: string;
  readonly body: string;
  readonly deadline?: number;
  readonly quorum?: number;
  readonly hidden?: boolean;
  readonly from?: string;
  readonly cites?: readonly string[];
}

export interface PollInput {
  readonly title: string;
  readonly body?: string;
  readonly method: PollMethod;
  readonly options: readonly string[];
  readonly deadline?: number;
  readonly hidden?: boolean;
  readonly from?: string;
}

const byTimeDesc = (a: { at: number; id: string }, b: { at: number; id: string }): number =>
  b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Decisions implements Feature {
  constructor(readonly group: Group) {}

  // --- reads -------------------------------------------------------------------------------

  /** Every live proposal and poll, open ones first, then newest first. */
  matters(): MatterView[] {
    const views = this.#records().map((r) => this.#view(r));
    const rank = (v: MatterView): number => (v.state === 'closed' ? 1 : 0);
    return views.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        byTimeDesc({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }),
    );
  }

  matter(id: string): MatterView | undefined {
    const r = this.group.head<MatterRecord>(id);
    return r && (r.kind === 'proposal' || r.kind === 'poll') && !isTombstone(r)
      ? this.#view(r)
      : undefined;
  }

  /** Proposals and polls made from, or citing, a thread or post. */
  about(itemId: string): MatterView[] {
    return this.matters().filter((m) => m.from === itemId || m.cites.includes(itemId));
  }

  /** Closed proposals and polls, most recently closed first. */
  decisionLog(): DecisionEntry[] {
    const out: DecisionEntry[] = [];
    for (const r of this.#records()) {
      const close = this.#close(r);
      if (!close) continue;
      out.push({
        id: r.id,
        kind: r.kind,
        title: readName(r.title ?? '', 'Untitled', 200),
        outcome: close.outcome,
        statement: close.statement,
        closedAt: this.group.time(close),
        place: this.#place(r.id),
      });
    }
    return out.sort((a, b) =>
      byTimeDesc({ at: a.closedAt, id: a.id }, { at: b.closedAt, id: b.id }),
    );
  }

  /** The discussion of a proposal or poll, oldest first. */
  replies(id: string): ReplyView[] {
    return childrenOf<ReplyRecord>(this.group, id, 'decision-reply').map((r) => ({
      ...itemViewBase(this.group, r),
      kind: 'decision-reply',
      targetId: r.targetId,
    }));
  }

  /** Open items that wait for `me`'s answer (not their own). */
  awaiting(me: MemberId): Awaiting[] {
    if (!this.group.isMember(me) || this.#departed().has(me)) return [];
    const out: Awaiting[] = [];
    for (const r of this.#records()) {
      if (r.author === me || this.#state(r) !== 'open') continue;
      if (this.group.head(ballotSlot(r.id, me))) continue;
      out.push({
        id: r.id,
        title: readName(r.title ?? '', 'Untitled', 200),
        what: r.kind,
        tab: DECIDE_TAB,
        createdAt: this.group.time(r, r.createdAt),
        ...(r.deadline !== undefined ? { deadline: r.deadline } : {}),
        place: this.#place(r.id),
      });
    }
    return out;
  }

  /** Proposals and polls (title, details, options, outcome statement) and their replies. */
  searchable(ids?: ReadonlySet<string>): SearchDoc[] {
    type R = MatterRecord | ReplyRecord;
    return searchDocsOf<R>(this.group, ['proposal', 'poll', 'decision-reply'], ids, (r) => {
      const v = itemViewBase(this.group, r);
      const common = {
        id: r.id,
        kind: r.kind,
        author: v.author,
        authorName: v.authorName,
        createdAt: v.createdAt,
      };
      if (r.kind === 'decision-reply') {
        return { ...common, text: v.body, place: this.#place(r.targetId) };
      }
      const options = r.kind === 'poll' ? (r.options ?? []) : [];
      const statement = this.#close(r)?.statement ?? '';
      return {
        ...common,
        title: readName(r.title ?? '', 'Untitled', 200),
        text: [v.body, ...options, statement].filter((x) => x !== '').join('\n\n'),
        place: this.#place(r.id),
      };
    });
  }

  conversations(): Conversation[] {
    return this.#records().map((r) => ({
      id: r.id,
      author: r.author,
      tab: DECIDE_TAB,
      countSince: (at: number, me?: MemberId) =>
        countChildrenSince(this.group, r.id, 'decision-reply', at, me),
    }));
  }

  recent(limit: number): ActivityItem[] {
    const out: ActivityItem[] = [];
    for (const r of this.#records()) {
      const v = itemViewBase(this.group, r);
      const title = readName(r.title ?? '', 'Untitled', 200);
      const place = this.#place(r.id);
      out.push({
        ...activityOf(v),
        action: r.kind === 'proposal' ? `proposed “${title}”` : `started the poll “${title}”`,
        place,
      });
      const close = this.#close(r);
      if (close) {
        out.push({
          ...activityOf({
            ...v,
            id: close.sig,
            createdAt: this.group.time(close),
            status: this.group.status(close),
          }),
          action: `closed “${title}”: ${close.outcome}`,
          place,
        });
      }
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  /** The slots a proposal's view rests on, for `group.verify` (its ballots and close). */
  slots(id: string): string[] {
    return [id, ...this.group.childrenOf(id)];
  }

  /** Checks every signature a proposal's view rests on. */
  async check(id: string): Promise<void> {
    const slots = this.slots(id);
    const authors = new Set<string>();
    for (const s of slots) for (const r of this.group.versions(s)) authors.add(r.author);
    await this.group.verify([...slots, ...[...authors].map(memberSlot)]);
  }

  /**
   * The decision record of a proposal or poll, as JSON and as readable Markdown (record.ts,
   * loaded on the first export: the app's start does not carry it).
   */
  async record(
    id: string,
  ): Promise<{ readonly json: string; readonly markdown: string; readonly name: string }> {
    this.#matter(id);
    const { exportRecord, recordJson, recordMarkdown } = await import('./record.ts');
    const file = exportRecord(this.group, this, id);
    const slug = file.item.title
      ?.toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40);
    return {
      json: recordJson(file),
      markdown: recordMarkdown(file),
      name: `decision-${slug || id}`,
    };
  }

  // --- writes ------------------------------------------------------------------------------

  /** Puts a proposal to the group; returns its id. */
  propose(me: Me, input: ProposalInput): string {
    const title = checkTitle(input.title);
    const body = checkBody(input.body, BODY_MAX_CHARS, true);
    if (input.quorum !== undefined && !(Number.isSafeInteger(input.quorum) && input.quorum >= 1)) {
      throw new GroupError('bad-choice', 'A quorum is a number of members, at least 1.');
    }
    const cites = [...new Set(input.cites ?? [])];
    if (cites.length > CITES_MAX) {
      throw new GroupError(
        'too-long',
        `A proposal can cite at most ${CITES_MAX} posts and threads.`,
      );
    }
    for (const c of cites) requireLive(this.group, c);
    return this.#create(
      me,
      'proposal',
      {
        title,
        body,
        mentions: mentionsIn(this.group, body),
        ...(input.quorum !== undefined ? { quorum: input.quorum } : {}),
        ...(cites.length ? { cites } : {}),
      },
      input,
    );
  }

  /** Starts a poll; returns its id. */
  createPoll(me: Me, input: PollInput): string {
    const title = checkTitle(input.title);
    const body = checkBody(input.body ?? '', BODY_MAX_CHARS, true);
    if (!isMethod(input.method)) throw new GroupError('bad-choice', 'Choose how people vote.');
    const options = input.options.map((o) => o.trim()).filter((o) => o !== '');
    if (options.length < OPTIONS_MIN || options.length > OPTIONS_MAX) {
      throw new GroupError(
        'bad-choice',
        `A poll needs ${OPTIONS_MIN} to ${OPTIONS_MAX} options, one per line.`,
      );
    }
    if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) {
      throw new GroupError('bad-choice', 'Two options say the same thing.');
    }
    return this.#create(
      me,
      'poll',
      {
        title,
        body,
        mentions: mentionsIn(this.group, body),
        method: input.method,
        options: options.map((o) => checkTitle(o)),
      },
      input,
    );
  }

  #create(
    me: Me,
    kind: 'proposal' | 'poll',
    fields: Record<string, unknown>,
    input: { deadline?: number; hidden?: boolean; from?: string },
  ): string {
    this.#requireWriter(me);
    if (input.deadline !== undefined) {
      if (!Number.isSafeInteger(input.deadline) || input.deadline <= this.group.now()) {
        throw new GroupError('bad-choice', 'A deadline has to be in the future.');
      }
    }
    if (input.from !== undefined) requireLive(this.group, input.from);
    const nonce = newNonce();
    const id = deriveItemId(me.id, nonce);
    const sealTo = input.hidden ? ballotKeyPair(me, nonce).publicKey : undefined;
    this.group.write(me, kind, {
      ...fields,
      id,
      nonce,
      createdAt: this.group.now(),
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
      ...(sealTo ? { sealTo: toBase64Url(sealTo) } : {}),
      ...(input.from !== undefined ? { from: input.from } : {}),
    });
    return id;
  }

  /** Takes or changes `me`'s position on a proposal. */
  respond(me: Me, id: string, stance: Stance, reason = ''): void {
    if (!isStance(stance))
      throw new GroupError('bad-choice', 'Choose agree, abstain, disagree or block.');
    const text = reason.trim();
    if ([...text].length > REASON_MAX_CHARS) {
      throw new GroupError('too-long', `Keep the reason under ${REASON_MAX_CHARS} characters.`);
    }
    const r = this.#requireOpen(me, id, 'proposal');
    this.#writeBallot(me, r, { stance, ...(text ? { reason: text } : {}) });
  }

  /** Casts or changes `me`'s vote in a poll: option indexes (in order, for ranked), or a score 0–5 per option. */
  vote(me: Me, id: string, choice: readonly number[]): void {
    const r = this.#requireOpen(me, id, 'poll') as PollRecord;
    if (!isValidChoice(r.method!, r.options!.length, choice)) {
      const how: Record<PollMethod, string> = {
        single: 'Choose one option.',
        multiple: 'Choose at least one option.',
        ranked: 'Rank at least one option, each once.',
        score: 'Give every option a score from 0 to 5.',
      };
      throw new GroupError('bad-choice', how[r.method!]);
    }
    this.#writeBallot(me, r, { choice: [...choice] });
  }

  #writeBallot(me: Me, r: MatterRecord, answer: Record<string, unknown>): void {
    const fields = r.sealTo
      ? { sealed: sealBallot(r.sealTo, { voter: me.id, targetId: r.id, ...answer }) }
      : answer;
    this.group.write(me, 'ballot', { targetId: r.id, ...fields });
  }

  /** Adds to the discussion of a proposal or poll. */
  reply(me: Me, id: string, body: string): string {
    this.group.requireMember(me);
    this.#matter(id);
    const text = checkBody(body, BODY_MAX_CHARS, false);
    return createItem(this.group, me, 'decision-reply', {
      targetId: id,
      body: text,
      mentions: mentionsIn(this.group, text),
    });
  }

  /**
   * The proposer closes: with an outcome (proposals: passed, rejected or withdrawn; polls:
   * closed or withdrawn) and a statement. Checks every ballot first, then signs the list of
   * exactly those that count, and for a hidden item the key that opens them.
   */
  async close(me: Me, id: string, outcome: Outcome, statement: string): Promise<void> {
    const r = this.#matter(id);
    this.#requireWriter(me);
    if (r.author !== me.id)
      throw new GroupError('not-proposer', 'Only whoever started it can close it.');
    if (this.#close(r)) throw new GroupError('closed', 'This is closed already.');
    const allowed: readonly Outcome[] =
      r.kind === 'proposal' ? ['passed', 'rejected', 'withdrawn'] : ['closed', 'withdrawn'];
    if (!allowed.includes(outcome))
      throw new GroupError('bad-choice', `Choose ${allowed.join(', ')}.`);
    const text = statement.trim();
    if (text.length > STATEMENT_MAX_CHARS) {
      throw new GroupError(
        'too-long',
        `The statement is limited to ${STATEMENT_MAX_CHARS} characters.`,
      );
    }
    await this.check(id);
    const ballots = this.#openBallots(r);
    if (ballots.some((b) => this.group.status(b) !== 'valid')) {
      throw new GroupError(
        'still-checking',
        'Some answers are still being checked; try again in a moment.',
      );
    }
    if (this.#close(r)) throw new GroupError('closed', 'This is closed already.');
    this.group.write(me, 'close', {
      targetId: id,
      outcome,
      statement: text,
      counted: ballots.map((b) => b.sig).sort(),
      ...(r.sealTo ? { sealKey: toBase64Url(ballotKeyPair(me, r.nonce).secretKey) } : {}),
    });
  }

  /**
   * Closes `me`'s items whose deadline has passed, with the outcome the count suggests
   * (polls: closed). The app calls it when it shows them; returns how many it closed.
   */
  async closeDue(me: Me): Promise<number> {
    let n = 0;
    for (const r of this.#records()) {
      if (r.author !== me.id || this.#state(r) !== 'due') continue;
      const key = r.sealTo ? toBase64Url(ballotKeyPair(me, r.nonce).secretKey) : undefined;
      const outcome: Outcome =
        r.kind === 'poll'
          ? 'closed'
          : (countMatter(r, this.#openBallots(r), key).tally?.suggested ?? 'rejected');
      try {
        await this.close(me, r.id, outcome, 'Closed at its deadline.');
        n++;
      } catch (e) {
        if (!(e instanceof GroupError) || (e.code !== 'closed' && e.code !== 'still-checking'))
          throw e;
      }
    }
    return n;
  }

  // --- the fold ----------------------------------------------------------------------------

  #records(): MatterRecord[] {
    return this.group.memo('decisions:all', ['kind:proposal', 'kind:poll'], () => {
      const out: MatterRecord[] = [];
      for (const kind of ['proposal', 'poll']) {
        for (const slot of this.group.slotsOf(kind)) {
          const r = this.group.head<MatterRecord>(slot);
          if (r && r.kind === kind && !isTombstone(r)) out.push(r);
        }
      }
      return out;
    });
  }

  #matter(id: string): MatterRecord {
    const r = this.group.head<MatterRecord>(id);
    if (!r || (r.kind !== 'proposal' && r.kind !== 'poll')) {
      throw new GroupError('not-found', 'That proposal or poll is not in this group.');
    }
    if (isTombstone(r)) throw new GroupError('deleted', `That ${r.kind} was deleted.`);
    return r;
  }

  #requireWriter(me: Me): void {
    this.group.requireMember(me);
    if (this.#departed().has(me.id)) {
      throw new GroupError('removed', 'You are no longer a member of this group.');
    }
  }

  #requireOpen(me: Me, id: string, kind: 'proposal' | 'poll'): MatterRecord {
    this.#requireWriter(me);
    const r = this.#matter(id);
    if (r.kind !== kind) throw new GroupError('wrong-kind', `That is not a ${kind}.`);
    if (this.#state(r) !== 'open') throw new GroupError('closed', `This ${kind} is closed.`);
    return r;
  }

  #departed(): ReadonlyMap<MemberId, unknown> {
    return new Membership(this.group).fold().departed;
  }

  /** The author's close record, if valid or still being checked. */
  #close(r: MatterRecord): CloseRecord | undefined {
    const c = this.group.head<CloseRecord>(closeSlot(r.id, r.author));
    return c?.kind === 'close' && c.author === r.author && c.targetId === r.id ? c : undefined;
  }

  #state(r: MatterRecord): MatterView['state'] {
    if (this.#close(r)) return 'closed';
    return r.deadline !== undefined && this.group.now() >= r.deadline ? 'due' : 'open';
  }

  /** The ballots that count while no close record is here (see the rule at the top). */
  #openBallots(r: MatterRecord): BallotRecord[] {
    const departed = this.#departed();
    const due = this.#state(r) === 'due';
    const out: BallotRecord[] = [];
    for (const slot of this.group.childrenOf(r.id)) {
      for (const b of this.group.versions(slot)) {
        if (b.kind !== 'ballot' || (b as BallotRecord).targetId !== r.id) continue;
        if (INVALID.has(this.group.status(b)) || departed.has(b.author)) continue;
        if (slot !== ballotSlot(r.id, b.author)) continue;
        if (due && b.at > r.deadline!) continue;
        out.push(b as BallotRecord);
        break;
      }
    }
    return out.sort((a, b) => (a.author < b.author ? -1 : 1));
  }

  /** The ballots a close record names, and how many of them are not here yet. */
  #closedBallots(
    r: MatterRecord,
    close: CloseRecord,
  ): { ballots: BallotRecord[]; missing: number } {
    const bySig = new Map<string, SignedRecord>();
    for (const slot of this.group.childrenOf(r.id)) {
      for (const b of this.group.versions(slot)) bySig.set(b.sig, b);
    }
    const seen = new Set<string>();
    const ballots: BallotRecord[] = [];
    let missing = 0;
    for (const sig of close.counted) {
      const b = bySig.get(sig) as BallotRecord | undefined;
      if (!b) {
        missing++;
        continue;
      }
      if (b.kind !== 'ballot' || INVALID.has(this.group.status(b)) || seen.has(b.author)) continue;
      seen.add(b.author);
      ballots.push(b);
    }
    return { ballots: ballots.sort((a, b) => (a.author < b.author ? -1 : 1)), missing };
  }

  #view(r: MatterRecord): MatterView {
    const close = this.#close(r);
    const { ballots, missing } = close
      ? this.#closedBallots(r, close)
      : { ballots: this.#openBallots(r), missing: 0 };
    const count = countMatter(r, ballots, close?.sealKey);
    const answered = new Set(ballots.map((b) => b.author));
    const departed = this.#departed();
    const waiting = this.group
      .members()
      .map((m) => m.id)
      .filter((id) => !answered.has(id) && !departed.has(id));
    const replies = childrenOf<ReplyRecord>(this.group, r.id, 'decision-reply').filter(
      (x) => !isTombstone(x),
    );
    const base = itemViewBase(this.group, r);
    return {
      ...base,
      ...count,
      kind: r.kind,
      title: readName(r.title ?? '', 'Untitled', 200),
      ...(r.deadline !== undefined ? { deadline: r.deadline } : {}),
      ...(r.kind === 'proposal' && r.quorum !== undefined ? { quorum: r.quorum } : {}),
      ...(r.kind === 'poll' ? { method: r.method } : {}),
      options: r.kind === 'poll' ? (r.options ?? []).map((o) => readName(o, '—', 200)) : [],
      hiddenUntilClose: r.sealTo !== undefined,
      ...(r.from !== undefined ? { from: r.from } : {}),
      cites: r.kind === 'proposal' ? (r.cites ?? []) : [],
      state: this.#state(r),
      ...(close
        ? {
            close: {
              outcome: close.outcome,
              statement: readStatement(close.statement),
              at: this.group.time(close),
              status: this.group.status(close),
              missing,
            },
          }
        : {}),
      waiting,
      replyCount: replies.length,
      lastActivity: Math.max(
        base.createdAt,
        ...replies.map((x) => this.group.time(x, x.createdAt)),
      ),
    };
  }

  #place(id: string): Place {
    return { route: 'decision', params: { groupId: this.group.id, itemId: id } };
  }
}

export const readStatement = (raw: string): string => raw.trim().slice(0, STATEMENT_MAX_CHARS);
