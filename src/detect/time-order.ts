/**
 * The rule for rows whose timestamp does not move forward (real files have them: NAB's
 * machine_temperature_system_failure.csv repeats an hour, exports get concatenated, clocks
 * step back). Such a row is kept, in input order, and reaches the detector at the latest time
 * seen so far: a streaming detector's clock never runs backwards, so a late row counts as
 * arriving now. Every such row is reported; consecutive ones form one report.
 */
export interface OutOfOrderRun {
  /** First and last line (1-based, inclusive) of the consecutive out-of-order rows. */
  fromLine: number;
  toLine: number;
  rows: number;
  /** Rows whose timestamp equals the latest one seen (a repeat) rather than an earlier one. */
  repeats: number;
  /** The furthest any of them stepped back from the latest time seen, in ms (0 = repeats only). */
  maxBackMs: number;
  /** The latest time seen before the run (ms), at which its rows were scored. */
  latest: number;
}

export class TimeOrder {
  private latest = Number.NEGATIVE_INFINITY;
  private run: OutOfOrderRun | undefined;
  private readonly finished: OutOfOrderRun[] = [];
  private total = 0;

  /** Admits one row; returns the time at which the detector sees it. */
  admit(line: number, t: number): number {
    if (t > this.latest) {
      this.close();
      this.latest = t;
      return t;
    }
    this.total++;
    const back = this.latest - t;
    if (this.run) {
      this.run.toLine = line;
      this.run.rows++;
      if (back === 0) this.run.repeats++;
      this.run.maxBackMs = Math.max(this.run.maxBackMs, back);
    } else {
      this.run = { fromLine: line, toLine: line, rows: 1, repeats: back === 0 ? 1 : 0, maxBackMs: back, latest: this.latest };
    }
    return this.latest;
  }

  /** Runs completed since the last call (a run completes at the next in-order row or at `end`). */
  drain(): OutOfOrderRun[] {
    return this.finished.splice(0);
  }

  /** Closes an open run at the end of the input. */
  end(): void {
    this.close();
  }

  /** Out-of-order rows so far. */
  get outOfOrder(): number {
    return this.total;
  }

  private close(): void {
    if (this.run) this.finished.push(this.run);
    this.run = undefined;
  }
}

/** One line of warning text for a run, e.g. for stderr. */
export function describeRun(run: OutOfOrderRun): string {
  const lines = run.rows === 1 ? `line ${run.fromLine}` : `lines ${run.fromLine}–${run.toLine}`;
  const what =
    run.repeats === run.rows
      ? `${run.rows === 1 ? 'repeats' : `${run.rows} rows repeat`} the latest timestamp`
      : `${run.rows === 1 ? 'steps' : `${run.rows} rows step`} back in time (up to ${formatDuration(run.maxBackMs)}${run.repeats > 0 ? `, ${run.repeats} repeated` : ''})`;
  return `${lines}: ${what}; scored as arriving at ${new Date(run.latest).toISOString()}`;
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${+(ms / size).toFixed(1)} ${unit}`;
  return `${ms} ms`;
}
