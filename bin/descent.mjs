#!/usr/bin/env node
// The descent command (`npx descent ...`): Node's side of the CLI. It hands the CLI (src/cli/, bundled
// into dist/bundle/cli-core.cjs) Node's files, streams, clock and util.parseArgs, and sets the exit code.
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// dist/bundle/cli-fast.cjs: the CLI and the library in one file, compiled with a V8 code cache
// (src/entry/compile-cache.ts), which a command that runs again does not parse again.
let main;
try {
  main = createRequire(import.meta.url)('../dist/bundle/cli-fast.cjs');
} catch (e) {
  process.stderr.write(`descent: cannot load the CLI (${e.message}); in a clone of the repository, run 'npm run build' first\n`);
  process.exit(1);
}

// A reader that closes the pipe early (descent predict ... | head) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const stream = (s) => ({
  write: (text) => s.write(text),
  isTTY: s.isTTY === true,
  get columns() { return s.columns; },
});

const io = {
  readText: (path) => readFileSync(path, 'utf8'),
  writeText: (path, text) => writeFileSync(path, text),
  cannotWrite(path) {
    const dir = dirname(resolve(path));
    try {
      if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
      accessSync(dir, constants.W_OK);
    } catch (e) {
      return e.code === 'ENOENT' ? `the folder ${dir} does not exist` : e.code === 'EACCES' ? `no permission to write in ${dir}` : e.message;
    }
    try {
      if (statSync(path).isDirectory()) return 'it is a folder';
    } catch {
      // does not exist yet: fine
    }
    return null;
  },
  stdout: stream(process.stdout),
  stderr: stream(process.stderr),
  now: () => performance.now(),
  parseArgs,
};

process.exitCode = await main(process.argv.slice(2), io, pkg.version);
