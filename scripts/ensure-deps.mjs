// Lets `npm start` and `npm test` work on a fresh clone: installs the locked npm
// dependencies when they are missing or older than package-lock.json, and (with --browser)
// checks for Debian's Chromium, installing it when running as root with apt-get.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const marker = 'node_modules/.package-lock.json';

if (!existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.log('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log("Installing Debian's chromium for the end-to-end tests…");
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium']);
  } else {
    console.error(
      'The end-to-end tests need Chromium at /usr/bin/chromium. On Debian or Ubuntu run:\n' +
        '  sudo apt-get install -y chromium',
    );
    process.exit(1);
  }
}
