// What this device knows about each record's standing: whether its signature (and its id
// binding and any extra signature) checked out, and so whether its author is a member. The
// kernel's fold asks here; nothing here decides which version wins.
import type { MemberId } from '../crypto/keys.ts';
import { signedText, signRecord } from './canonical.ts';
import type { Me, RecordStatus } from './Group.ts';
import { memberSlot } from './members.ts';
import type { Indexed, RecordIndex } from './RecordIndex.ts';
import type { SignedRecord } from './records.ts';
import type { SignatureCheck, Verifier } from './Verifier.ts';

export class Standing {
  /** Signature (and id binding) results, by record object. */
  readonly #sigOk = new WeakMap<SignedRecord, boolean>();
  readonly #index: RecordIndex;
  readonly #verifier: Verifier;
  readonly #groupId: string;

  constructor(index: RecordIndex, verifier: Verifier, groupId: string) {
    this.#index = index;
    this.#verifier = verifier;
    this.#groupId = groupId;
  }

  /** The signature result, or undefined while unchecked. */
  signature(record: SignedRecord): boolean | undefined {
    return this.#sigOk.get(record);
  }

  /** Records this device signed itself need no check. */
  markGood(record: SignedRecord): void {
    this.#sigOk.set(record, true);
  }

  /** The standing of one record: its signature, its id binding and its author's membership. */
  status(record: SignedRecord): RecordStatus {
    // Someone with no member record at all is known not to be a member without any check,
    // so records from strangers' keys never reach a list, not even as 'checking'.
    if (
      record.kind !== 'member' &&
      this.#index.candidates(memberSlot(record.author)).length === 0
    ) {
      return 'not-a-member';
    }
    const ok = this.#sigOk.get(record);
    if (ok === undefined) return 'checking';
    if (!ok) return 'forged';
    if (record.kind === 'member') return 'valid';
    return this.memberStatus(record.author);
  }

  memberStatus(id: MemberId): RecordStatus {
    let checking = false;
    for (const c of this.#index.candidates(memberSlot(id))) {
      const ok = this.#sigOk.get(c.record);
      if (ok) return 'valid';
      if (ok === undefined) checking = true;
    }
    return checking ? 'checking' : 'not-a-member';
  }

  /**
   * Whether `me` wrote this record: ed25519 signatures are deterministic, so signing it again
   * proves it, at once and across sessions.
   */
  isOwn({ record, kind }: Indexed, me: Me): boolean {
    const known = this.#sigOk.get(record);
    if (known !== undefined) return known;
    if (kind?.bound?.(record) === false) return false;
    const { sig, ...fields } = record;
    try {
      return signRecord(me, this.#groupId, fields).sig === sig;
    } catch {
      return false;
    }
  }

  /** Checks the signatures, id bindings and extra signatures of `entries` in one batch. */
  async check(entries: readonly Indexed[]): Promise<void> {
    const checks: SignatureCheck[] = [];
    const plans: { record: SignedRecord; from: number; to: number; bound: boolean }[] = [];
    for (const { record, kind } of entries) {
      const from = checks.length;
      let bound = kind?.bound?.(record) !== false;
      try {
        checks.push({
          signer: record.author,
          text: signedText(this.#groupId, record),
          sig: record.sig,
        });
        for (const extra of kind?.extraChecks?.(record, signedText) ?? []) checks.push(extra);
      } catch {
        bound = false;
      }
      plans.push({ record, from, to: checks.length, bound });
    }
    const results = checks.length ? await this.#verifier.verify(checks) : [];
    for (const p of plans) {
      let ok = p.bound && p.to > p.from;
      for (let i = p.from; ok && i < p.to; i++) ok = results[i] === true;
      this.#sigOk.set(p.record, ok);
    }
  }
}
