/**
 * Training progress on a terminal: one line redrawn in place with '\r' (epoch, a bar, the loss, the
 * validation metric, time left). When the output is not a terminal, train prints fit's own plain
 * line per epoch instead (its `verbose` log), so a log file reads line by line.
 */
import type { EpochRecord } from '../train/history.js';
import { formatShort } from '../plot/axes.js';
import type { CliIO } from './io.js';

/** Redraw at most this often (the first and last epochs are always drawn). */
const REDRAW_MS = 50;

export class Progress {
  /** Whether the bar is drawn (stdout is a terminal). */
  readonly tty: boolean;
  private readonly start: number;
  private last = -Infinity;
  private drawn = false;

  constructor(private readonly io: CliIO, private readonly maxEpochs: number, private readonly metric: string) {
    this.tty = io.stdout.isTTY;
    this.start = io.now();
  }

  /** fit's onEpochEnd: redraws the line (throttled). */
  epoch(rec: EpochRecord): void {
    const t = this.io.now();
    if (rec.epoch !== 1 && rec.epoch !== this.maxEpochs && t - this.last < REDRAW_MS) return;
    this.last = t;
    this.io.stdout.write(`\r${this.line(rec, t)}\x1b[K`);
    this.drawn = true;
  }

  /** Ends the redrawn line (training ended, early or not). */
  end(): void {
    if (this.drawn) this.io.stdout.write('\n');
    this.drawn = false;
  }

  /** The line for an epoch: fits the terminal's width (a wrapped line cannot be redrawn with '\r'). */
  line(rec: EpochRecord, t: number): string {
    const n = this.maxEpochs;
    const head = `epoch ${String(rec.epoch).padStart(String(n).length)}/${n}`;
    const parts = [`loss ${formatShort(rec.loss)}`];
    if (rec.valLoss !== undefined) parts.push(`val_loss ${formatShort(rec.valLoss)}`);
    // The validation metric, or the training one when there is no validation data.
    const v = rec.valMetrics[this.metric], m = rec.metrics[this.metric];
    if (v !== undefined) parts.push(`val_${this.metric} ${formatShort(v)}`);
    else if (m !== undefined) parts.push(`${this.metric} ${formatShort(m)}`);
    const left = ((t - this.start) / rec.epoch) * (n - rec.epoch);
    parts.push(rec.epoch === n ? `${duration(t - this.start)} in all` : `${duration(left)} left`);
    const columns = this.io.stdout.columns && this.io.stdout.columns > 20 ? this.io.stdout.columns : 80;
    // Narrow terminals: drop val_loss before the bar, and the bar before cutting the line.
    for (const shown of [parts, parts.filter((x) => !x.startsWith('val_loss'))]) {
      const tail = shown.join('  ');
      const room = columns - 1 - head.length - tail.length - 4;
      if (room >= 6) {
        const width = Math.min(30, room);
        const full = Math.round((rec.epoch / n) * width);
        return `${head} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${tail}`;
      }
    }
    return `${head}  ${parts.filter((x) => !x.startsWith('val_loss')).join('  ')}`.slice(0, columns - 1);
  }
}

/** "3s", "1m05s", "2h03m". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
