// The sync stack (MailboxSync, its update checks and envelope codec, SyncSession) is not on
// the start path: a group's first screen renders from local storage, and its sync starts
// after the paint (Hearth's afterPaint). Everything that constructs one loads it here.
export type SyncStack = typeof import('./syncStack.ts');

let loading: Promise<SyncStack> | undefined;

/** The sync stack's module, loaded once. */
export function loadSync(): Promise<SyncStack> {
  loading ??= import('./syncStack.ts').catch((e: unknown) => {
    loading = undefined; // offline before it was cached: the next caller tries again
    throw e;
  });
  return loading;
}
