import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Progress, duration } from '../../src/cli/progress.js';
import type { CliIO } from '../../src/cli/io.js';
import type { EpochRecord } from '../../src/train/history.js';

function fakeIO(isTTY: boolean, columns?: number) {
  let t = 0;
  const out: string[] = [];
  const io = {
    stdout: { write: (s: string) => out.push(s), isTTY, columns },
    now: () => t,
  } as unknown as CliIO;
  return { io, out, tick: (ms: number) => (t += ms) };
}

const rec = (epoch: number, extra: Partial<EpochRecord> = {}): EpochRecord =>
  ({ epoch, loss: 0.123456, valLoss: 0.2, metrics: { accuracy: 0.9 }, valMetrics: { accuracy: 0.875 }, lr: 1e-3, timeMs: 1, ...extra });

describe('the progress bar', () => {
  it('shows epoch, a bar filled in proportion, loss, the validation metric and time left, within the terminal width', () => {
    for (const columns of [80, 120, 200]) {
      const { io, tick } = fakeIO(true, columns);
      const p = new Progress(io, 40, 'accuracy');
      tick(3000);
      const line = p.line(rec(10), 3000);
      expect(line.length).toBeLessThanOrEqual(columns - 1);
      const m = /^epoch 10\/40 \[(#*)(\.*)\] loss 0\.1235  val_loss 0\.2  val_accuracy 0\.875  9s left$/.exec(line)!;
      expect(m, line).not.toBeNull();
      const width = m[1].length + m[2].length;
      expect(width).toBeGreaterThanOrEqual(6);
      expect(m[1].length).toBe(Math.round(width / 4)); // 10 of 40 epochs
    }
    // A narrow terminal drops val_loss first, then the bar; the line never wraps (a wrapped line cannot be redrawn).
    const narrow = (columns: number) => new Progress(fakeIO(true, columns).io, 40, 'accuracy').line(rec(10), 3000);
    expect(narrow(65)).toMatch(/^epoch 10\/40 \[#*\.*\] loss 0\.1235  val_accuracy 0\.875  9s left$/);
    expect(narrow(56)).toBe('epoch 10/40  loss 0.1235  val_accuracy 0.875  9s left');
    expect(narrow(30)).toBe('epoch 10/40  loss 0.1235  val');
    // Without validation data, the training metric.
    const { io } = fakeIO(true, 100);
    expect(new Progress(io, 5, 'r2').line(rec(5, { valLoss: undefined, valMetrics: {}, metrics: { r2: 0.5 } }), 2500)).toMatch(/\] loss 0\.1235  r2 0\.5  3s in all$/);
  });

  it('redraws with \\r, at most every 50 ms but always the first and last epochs, and ends the line once', () => {
    const { io, out, tick } = fakeIO(true, 100);
    const p = new Progress(io, 4, 'accuracy');
    p.epoch(rec(1));
    tick(10);
    p.epoch(rec(2)); // too soon
    tick(60);
    p.epoch(rec(3));
    tick(1);
    p.epoch(rec(4)); // the last: always
    p.end();
    p.end();
    expect(out.map((s) => /^\r?epoch (\d)/.exec(s)?.[1] ?? s)).toEqual(['1', '3', '4', '\n']);
    expect(out.slice(0, 3).every((s) => s.startsWith('\r') && s.endsWith('\x1b[K'))).toBe(true);
  });

  it('formats time left', () => {
    expect(duration(0)).toBe('0s');
    expect(duration(1)).toBe('1s');
    expect(duration(59_000)).toBe('59s');
    expect(duration(65_000)).toBe('1m05s');
    expect(duration(7_380_000)).toBe('2h03m');
  });
});

describe('the package', () => {
  it("declares the descent command, whose file is an executable node script", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.bin).toEqual({ descent: 'bin/descent.mjs' });
    expect(readFileSync('bin/descent.mjs', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync('bin/descent.mjs').mode & 0o111).not.toBe(0);
  });
});
