// Types for the parts of relayLoad.mjs that TypeScript callers use (bench/relay/pgBench.ts).
export function runTwoProcessFanout(
  databaseUrl: string,
  databasePids: () => number[],
  options?: Record<string, unknown>,
): Promise<Record<string, number>>;
