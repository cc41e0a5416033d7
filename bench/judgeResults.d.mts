// Types for judgeResults.mjs, so TypeScript tests can import it.
export interface Goal {
  readonly op: '<=' | '>=';
  readonly limit?: number;
  readonly than?: string;
  readonly text: string;
}
export interface Verdict {
  readonly goal: string;
  readonly op: '<=' | '>=';
  readonly limit: number | null;
  readonly met: boolean | null;
}
export type Results = Record<string, unknown>;
export const GOALS: Record<string, Goal>;
export const ROWS: [string, string][];
export function judgeResults(results: Results): Record<string, Verdict>;
export function formatTable(results: Results, goals: Record<string, Verdict>): string;
export function median(xs: readonly number[]): number;
export function percentile(xs: readonly number[], p: number): number;
