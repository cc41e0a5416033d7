// The types the kernel's API speaks in, apart from the kernel itself so that feature and
// helper modules can name them without importing Group.
import type { Identity } from '../identity/Identity.ts';
import type { RecordKind } from './RecordKind.ts';
import type { Verifier, VerifyStatus } from './Verifier.ts';

/** A record's standing on this device: 'checking' until its signature has been checked. */
export type RecordStatus = VerifyStatus | 'checking';

/** Who writes: the parts of an identity the kernel needs. */
export type Me = Pick<Identity, 'id' | 'name' | 'signing' | 'box' | 'device'>;

export interface GroupOptions {
  /** The kinds features add (the kernel's own member and group kinds are always there). */
  readonly kinds?: Iterable<RecordKind>;
  /** Signature checker; defaults to one shared by the whole app. */
  readonly verifier?: Verifier;
  /** ms since the epoch; injectable for tests. */
  readonly clock?: () => number;
  /** Receives exceptions thrown by onChange listeners (default: rethrown asynchronously). */
  readonly onListenerError?: (error: unknown) => void;
  /** Where this device keeps when it first saw records dated in its future (default: memory). */
  readonly seen?: SeenTimes;
}

/** This device's private memory of when it first saw a record, by signature. */
export interface SeenTimes {
  get(sig: string): number | undefined;
  set(sig: string, at: number): void;
}

/** One transaction's (or one verification's) worth of change. */
export interface GroupChange {
  /** Items whose record, version, reactions, pin or children changed. */
  readonly items: ReadonlySet<string>;
  /** Kinds of the records that changed. */
  readonly kinds: ReadonlySet<string>;
  /** Member records changed (names shown next to items may have changed). */
  readonly members: boolean;
  /** The group's name or description changed. */
  readonly info: boolean;
}
