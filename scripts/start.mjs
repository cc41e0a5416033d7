// `npm start`: installs dependencies if needed, builds the app when dist/ is missing or
// older than its sources, then runs the relay serving it (PORT, HOST, HEARTH_DATA honoured).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

execFileSync(process.execPath, ['scripts/ensure-deps.mjs'], { stdio: 'inherit' });

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const sources = ['app', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];
const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
if (Math.max(...sources.map(newest)) > built) {
  console.log('Building the app…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

// Run tsx's CLI with this node directly (not through npx) so SIGTERM reaches the relay.
const relay = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'relay/main.ts'], {
  stdio: 'inherit',
  env: { HEARTH_STATIC: 'dist', ...process.env },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => relay.kill(sig));
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
