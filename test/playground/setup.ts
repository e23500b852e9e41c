// Global set-up of the playground suite: builds the static site once, as `npm run playground:build`
// does after building descent (npm test has just built descent, so only the site is built here).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, ['scripts/playground.mjs', 'build'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`playground: building the site failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
  console.log(`playground: built playground/dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
