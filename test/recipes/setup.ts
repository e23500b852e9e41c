// Global set-up of the recipe suite: what a new user does first. A fresh clone of the repository
// (its tracked and unignored files, copied into a temp directory, with this checkout's node_modules
// linked in: nothing is downloaded) runs `npm pack`, whose prepack builds everything; every recipe
// then installs that tarball into its own fresh project. Set DESCENT_RECIPES_TARBALL to a packed
// tarball to reuse it while iterating on the recipes (the suite then says so in its log).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the packed descent-<version>.tgz the recipes install. */
    tarball: string;
    /** The temp directory every recipe project is made in (removed after the suite). */
    recipesDir: string;
  }
}

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Copies the files a fresh clone would have into `dir/clone`, packs there, and returns the tarball. */
function packFreshClone(dir: string): string {
  const clone = join(dir, 'clone');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(join(repo, f)));
  for (const f of files) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(repo, f), join(clone, f));
  }
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const t0 = Date.now();
  try {
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: clone, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`recipes: npm pack in a fresh clone failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
  rmSync(clone, { recursive: true, force: true });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('recipes: npm pack in a fresh clone left no tarball');
  console.log(`recipes: npm pack in a fresh clone (${files.length} files) took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return join(dir, tgz);
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'descent-recipes-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  let tarball = process.env.DESCENT_RECIPES_TARBALL;
  if (tarball) {
    console.log(`recipes: using the tarball ${tarball} (DESCENT_RECIPES_TARBALL), not a fresh pack`);
  } else {
    try {
      tarball = packFreshClone(dir);
    } catch (e) {
      cleanUp();
      throw e;
    }
  }
  project.provide('tarball', tarball);
  project.provide('recipesDir', dir);
  return cleanUp;
}
