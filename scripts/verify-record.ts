// Checks an exported Hearth decision record offline: `npm run verify-record -- FILE` (the
// .json or the .md export). Prints each signed entry and any problem; exits 0 only when
// every signature holds and the summary follows from the signed records.
import { readFileSync } from 'node:fs';
import { parseRecordText, verifyRecord } from '../app/core/features/decisions/record.ts';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run verify-record -- FILE');
    return 2;
  }
  let data: unknown;
  try {
    data = parseRecordText(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`Could not read ${file} as a decision record: ${(e as Error).message}`);
    return 2;
  }
  const report = await verifyRecord(data);
  console.log(`Decision record “${report.title}” (group ${report.groupId || '?'})`);
  for (const e of report.entries) {
    console.log(
      `${e.ok ? 'ok      ' : 'REJECTED'}  ${e.label}${e.problem ? `: ${e.problem}` : ''}`,
    );
  }
  for (const p of report.problems) console.log(`PROBLEM   ${p}`);
  console.log(
    report.ok ? 'VERIFIED: every entry is signed by its author and unaltered.' : 'NOT VERIFIED.',
  );
  return report.ok ? 0 : 1;
}

process.exitCode = await main();
