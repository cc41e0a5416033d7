// Browser entry for the signature benchmark: the app's own Verifier, bundled for the page,
// timed there with performance.now() so only verification is measured.
import { type SignatureCheck, Verifier } from '../../app/core/group/Verifier.ts';

export interface VerifyRun {
  readonly backend: string;
  readonly ms: number[];
  readonly valid: number;
}

/** Verifies `checks` `runs` times, each with a fresh Verifier (empty cache, new key imports). */
export async function timeVerify(
  checks: readonly SignatureCheck[],
  runs: number,
): Promise<VerifyRun> {
  const ms: number[] = [];
  let backend = '';
  let valid = 0;
  for (let i = 0; i < runs; i++) {
    const verifier = new Verifier();
    // The backend probe happens once per app start; it is not part of checking records.
    backend = await verifier.backendName();
    const t0 = performance.now();
    const results = await verifier.verify(checks);
    ms.push(performance.now() - t0);
    valid = results.filter(Boolean).length;
  }
  return { backend, ms, valid };
}
