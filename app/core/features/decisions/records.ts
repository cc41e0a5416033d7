// Consensus seeking as signed records. A proposal or a poll is an authored item (its id bound
// to its proposer); each member's answer to it is a ballot in a slot of their own, so the
// newest version each member signed is their answer; the proposer's close record ends it and
// names, signature by signature, the ballots that count. Replies are the item's discussion.
import {
  BODY_MAX_CHARS,
  type ContentFields,
  type ItemRecord,
  isContent,
  isTitle,
  itemKind,
  TITLE_MAX_CHARS,
} from '../../group/items.ts';
import type { RecordKind } from '../../group/RecordKind.ts';
import {
  isB64,
  isItemId,
  isSig,
  isText,
  isTime,
  type Obj,
  optional,
  type SignedRecord,
} from '../../group/records.ts';

export const STANCES = ['agree', 'abstain', 'disagree', 'block'] as const;
export type Stance = (typeof STANCES)[number];
export const METHODS = ['single', 'multiple', 'ranked', 'score'] as const;
export type PollMethod = (typeof METHODS)[number];
export const OUTCOMES = ['passed', 'rejected', 'withdrawn', 'closed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REASON_MAX_CHARS = 280;
export const STATEMENT_MAX_CHARS = 2_000;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 20;
export const CITES_MAX = 10;
export const SCORE_MAX = 5;
/** A close record names at most this many ballots (one per member). */
export const COUNTED_MAX = 5_000;
/** Sealed ballots are small: a stance and a reason, or a list of choices. */
const SEALED_MAX_CHARS = 2_400;

export const isStance = (v: unknown): v is Stance =>
  typeof v === 'string' && (STANCES as readonly string[]).includes(v);
export const isMethod = (v: unknown): v is PollMethod =>
  typeof v === 'string' && (METHODS as readonly string[]).includes(v);
export const isOutcome = (v: unknown): v is Outcome =>
  typeof v === 'string' && (OUTCOMES as readonly string[]).includes(v);
/** An x25519 key (public or secret), base64url. */
export const isBoxKeyText = (v: unknown): v is string => isB64(v, 43);

/** What proposals and polls share: the question, when it closes, and how answers are kept. */
interface MatterFields extends ItemRecord, Partial<ContentFields> {
  readonly title?: string;
  /** When it closes by itself (ms, the proposer's claim; see ARCHITECTURE "Decisions"). */
  readonly deadline?: number;
  /** Hidden until close: ballots are sealed to this box public key, published at close. */
  readonly sealTo?: string;
  /** The thread or post it was proposed from. */
  readonly from?: string;
}

export interface ProposalRecord extends MatterFields {
  readonly kind: 'proposal';
  /** How many members must take a position (any stance) for it to pass. */
  readonly quorum?: number;
  /** Posts and threads it cites. */
  readonly cites?: readonly string[];
}

export interface PollRecord extends MatterFields {
  readonly kind: 'poll';
  readonly method?: PollMethod;
  readonly options?: readonly string[];
}

export type MatterRecord = ProposalRecord | PollRecord;

/**
 * One member's answer: a stance (and reason) on a proposal, a choice on a poll, or either
 * sealed to the item's `sealTo` key. Its slot names its author, so only they can write it.
 */
export interface BallotRecord extends SignedRecord {
  readonly kind: 'ballot';
  readonly targetId: string;
  readonly stance?: Stance;
  readonly reason?: string;
  /** Option indexes: one (single), several (multiple), an order (ranked); scores 0–5 per option (score). */
  readonly choice?: readonly number[];
  /** base64url of ephemeral public key ‖ nonce ‖ box of the canonical plain ballot. */
  readonly sealed?: string;
}

/** The proposer ends the item: an outcome, a statement, and exactly which ballots count. */
export interface CloseRecord extends SignedRecord {
  readonly kind: 'close';
  readonly targetId: string;
  readonly outcome: Outcome;
  readonly statement: string;
  /** Signatures of the ballot versions that count, one per member. */
  readonly counted: readonly string[];
  /** The secret key that opens sealed ballots (hidden items only). */
  readonly sealKey?: string;
}

export interface ReplyRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'decision-reply';
  readonly targetId: string;
}

const isOptionList = (v: unknown): v is string[] =>
  Array.isArray(v) &&
  v.length >= OPTIONS_MIN &&
  v.length <= OPTIONS_MAX &&
  v.every((o) => isTitle(o) && o.length <= TITLE_MAX_CHARS * 2);

const isCount = (v: unknown): v is number => isTime(v) && (v as number) >= 1 && v <= 100_000;

const matterOk = (o: Obj): boolean =>
  isTitle(o.title) &&
  isContent(o, BODY_MAX_CHARS) &&
  optional(o.deadline, isTime) &&
  optional(o.sealTo, isBoxKeyText) &&
  optional(o.from, isItemId);

export const proposalKind = itemKind<ProposalRecord>({
  kind: 'proposal',
  parseLive: (o) =>
    matterOk(o) &&
    optional(o.quorum, isCount) &&
    (o.cites === undefined ||
      (Array.isArray(o.cites) && o.cites.length <= CITES_MAX && o.cites.every(isItemId))),
});

export const pollKind = itemKind<PollRecord>({
  kind: 'poll',
  parseLive: (o) => matterOk(o) && isMethod(o.method) && isOptionList(o.options),
});

export const replyKind = itemKind<ReplyRecord>({
  kind: 'decision-reply',
  parentField: 'targetId',
  parseLive: (o) => isContent(o, BODY_MAX_CHARS),
});

export const ballotSlot = (targetId: string, author: string): string =>
  `ballot:${targetId}|${author}`;
export const closeSlot = (targetId: string, author: string): string =>
  `close:${targetId}|${author}`;

const isSealedText = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= SEALED_MAX_CHARS && /^[A-Za-z0-9_-]+$/.test(v);

const isSmallInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < OPTIONS_MAX;

export const ballotKind: RecordKind<BallotRecord> = {
  kind: 'ballot',
  parse(o: Obj) {
    if (!isItemId(o.targetId)) return null;
    const open = o.stance !== undefined || o.choice !== undefined;
    if (o.sealed !== undefined) {
      return !open && o.reason === undefined && isSealedText(o.sealed)
        ? (o as unknown as BallotRecord)
        : null;
    }
    if (o.stance !== undefined) {
      return isStance(o.stance) &&
        o.choice === undefined &&
        optional(o.reason, (v): v is string => isText(v, REASON_MAX_CHARS * 2))
        ? (o as unknown as BallotRecord)
        : null;
    }
    return Array.isArray(o.choice) &&
      o.choice.length <= OPTIONS_MAX &&
      o.choice.every(isSmallInt) &&
      o.reason === undefined
      ? (o as unknown as BallotRecord)
      : null;
  },
  slot: (r) => ballotSlot(r.targetId, r.author),
  parent: (r) => r.targetId,
  touches: (r) => [r.targetId],
};

export const closeKind: RecordKind<CloseRecord> = {
  kind: 'close',
  parse: (o: Obj) =>
    isItemId(o.targetId) &&
    isOutcome(o.outcome) &&
    isText(o.statement, STATEMENT_MAX_CHARS * 2) &&
    Array.isArray(o.counted) &&
    o.counted.length <= COUNTED_MAX &&
    o.counted.every(isSig) &&
    optional(o.sealKey, isBoxKeyText)
      ? (o as unknown as CloseRecord)
      : null,
  slot: (r) => closeSlot(r.targetId, r.author),
  parent: (r) => r.targetId,
  touches: (r) => [r.targetId],
};
