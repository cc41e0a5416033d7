// Bundles bench/browser/verifyEntry.ts (the app's Verifier) into one classic script for the
// benchmark page, with Vite's own build API so it is compiled like the app.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The script's source; evaluating it defines globalThis.HearthVerifyBench. */
export async function buildVerifyBundle() {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: join(HERE, '..', '..'),
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: {
        entry: join(HERE, 'verifyEntry.ts'),
        formats: ['iife'],
        name: 'HearthVerifyBench',
      },
    },
  });
  const output = (Array.isArray(out) ? out[0] : out).output;
  const chunk = output.find((c) => c.type === 'chunk');
  if (!chunk) throw new Error('the verifier bundle came out empty');
  return chunk.code;
}
