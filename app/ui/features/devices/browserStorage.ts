// What the browser says of this site's storage: whether it is kept under storage pressure,
// and how much is used. Small, so the always-mounted watch (DurabilityWatch) can import it.

/** Asks the browser to keep this site's data (not evict it under storage pressure). */
export async function askPersistence(): Promise<boolean | undefined> {
  const storage = navigator.storage;
  if (!storage?.persist) return undefined;
  try {
    return await storage.persist();
  } catch {
    return undefined;
  }
}

export interface StorageState {
  readonly persisted: boolean | undefined;
  readonly usage: number | undefined;
  readonly quota: number | undefined;
}

export async function storageState(): Promise<StorageState> {
  const storage = navigator.storage;
  const [persisted, estimate] = await Promise.all([
    storage?.persisted?.().catch(() => undefined),
    storage?.estimate?.().catch(() => undefined),
  ]);
  return { persisted, usage: estimate?.usage, quota: estimate?.quota };
}
