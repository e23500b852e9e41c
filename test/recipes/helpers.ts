// Plumbing of the recipe suite: fresh projects with the packed tarball installed, the README's recipe
// blocks, commands, a static server and Chromium. Nothing here downloads: tools (vite, esbuild,
// typescript, miniflare, deno, bun, playwright) are linked in from this checkout's node_modules.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'node_modules/.bin');

/**
 * The README's recipe blocks: a fenced block right after `<!-- recipe: <name> <file> -->` is file
 * <file> of recipe <name>. The tests write exactly these files, so the README cannot drift from
 * what runs.
 */
export function readmeRecipe(name: string): Record<string, string> {
  const md = readFileSync(join(REPO, 'README.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const m of md.matchAll(/<!-- recipe: (\S+) (\S+) -->\n```\w*\n([\s\S]*?)```/g)) {
    if (m[1] === name) files[m[2]] = m[3];
  }
  if (Object.keys(files).length === 0) throw new Error(`README.md has no blocks for recipe '${name}'`);
  return files;
}

/**
 * Makes a fresh project in the suite's temp directory: the given files, the packed descent extracted
 * into node_modules/descent (as npm would install it), and links to the named tool packages.
 */
export function makeProject(name: string, files: Record<string, string>, tools: string[] = []): string {
  const dir = join(inject('recipesDir'), name);
  mkdirSync(join(dir, 'node_modules/descent'), { recursive: true });
  execFileSync('tar', ['xzf', inject('tarball'), '-C', join(dir, 'node_modules/descent'), '--strip-components=1']);
  if (!files['package.json']) files = { 'package.json': JSON.stringify({ name, private: true, type: 'module' }, null, 2), ...files };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  for (const t of tools) {
    const target = join(REPO, 'node_modules', t);
    if (!existsSync(target)) throw new Error(`recipes: the tool package ${t} is not installed in ${REPO}/node_modules (npm ci)`);
    mkdirSync(dirname(join(dir, 'node_modules', t)), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', t), 'dir');
  }
  return dir;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a project and resolves with its exit code and output (never rejects on a
 * non-zero exit: the tests assert on it). `npx <tool>` in a README command runs this checkout's
 * installed tool: the PATH starts with its node_modules/.bin.
 */
export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 90_000): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs a README shell block line by line (`npx x` runs the installed x). */
export async function runScript(script: string, cwd: string): Promise<RunResult> {
  const lines = script.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let last: RunResult = { code: 0, stdout: '', stderr: '' };
  for (const line of lines) {
    last = await run('sh', ['-c', line.replace(/^npx /, '')], cwd);
    if (last.code !== 0) return { ...last, stderr: `$ ${line}\n${last.stderr}` };
  }
  return last;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
};

/** The headers that make a page cross-origin isolated (shared memory, so descent's threads). */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * A static file server over `root` on a free loopback port (what a user's web server does). With
 * `spa`, unknown paths get index.html with status 200, as single-page-app hosting does; with
 * `isolated`, every response carries ISOLATION_HEADERS.
 */
export async function serve(root: string, { spa = false, isolated = false } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    let file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (spa && !existsSync(file)) file = join(root, 'index.html');
    const extra = isolated ? ISOLATION_HEADERS : {};
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...extra }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...extra });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A free loopback TCP port (for servers that take a port, like Vite's). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface PageResult {
  /** The page's body text once the recipe wrote it ('' if it never did). */
  text: string;
  /** Uncaught errors and rejections of the page, console errors and HTTP errors (with their URL), in order. */
  errors: string[];
}

/**
 * Opens `url` in headless Chromium (Debian's package, never a downloaded browser) and waits until the
 * recipe wrote the page's body text or the page threw.
 */
export async function openInChromium(url: string): Promise<PageResult> {
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    let thrown = false;
    page.on('pageerror', (e) => {
      thrown = true;
      errors.push(e.message);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); // the URL, which the console message lacks
    });
    await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 })); // browsers ask for it; recipes have none
    await page.goto(url);
    const text = () => page.evaluate(() => document.body?.textContent?.trim() ?? '');
    for (const end = Date.now() + 60_000; Date.now() < end && !thrown; await new Promise((r) => setTimeout(r, 50))) {
      const t = await text();
      if (t) return { text: t, errors };
    }
    return { text: await text(), errors };
  } finally {
    await browser.close();
  }
}

/** Serves `root` as static files and opens its index page in Chromium (see serve and openInChromium). */
export async function openServed(root: string, options: { spa?: boolean; isolated?: boolean } = {}): Promise<PageResult> {
  const server = await serve(root, options);
  try {
    return await openInChromium(server.url);
  } finally {
    await server.close();
  }
}

/** Starts a long-running command (a dev server) and waits until its output matches `ready`. */
export function start(cmd: string, args: string[], cwd: string, ready: RegExp): Promise<{ output: () => string; stop: () => void }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not get ready in 60 s:\n${out}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolvePromise({ output: () => out, stop: () => child.kill('SIGTERM') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before it was ready:\n${out}`));
    });
  });
}
