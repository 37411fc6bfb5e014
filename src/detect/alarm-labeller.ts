/**
 * Turns a scored series into alarms for `stormwatch detect`: an alarm opens at a point whose
 * anomaly score reaches the threshold and lasts while the values stay outside the detector's
 * band [lower, upper]; the first point back inside the band is the first point after it. The
 * label marks one point per alarm, its highest-scoring one (the first of equals), so the rows
 * of an open alarm are held until it ends, at most `maxHeld` of them: a longer alarm (a level
 * shift the baseline has not caught up with) is labelled at the highest point of its first
 * `maxHeld` rows, and its summary still covers it whole.
 */
export interface ScoredRow {
  line: number;
  /** The timestamp as written. */
  text: string;
  /** The timestamp in ms (as written, not the time the detector saw it). */
  t: number;
  value: number;
  score: number;
  expected: number;
  lower: number;
  upper: number;
}

export interface LabelledRow extends ScoredRow {
  label: 0 | 1;
}

export interface Alarm {
  start: ScoredRow;
  /** The last point of the alarm. */
  end: ScoredRow;
  peak: ScoredRow;
  points: number;
  /** True when the input ended with the alarm still open. */
  open: boolean;
}

export interface LabellerStep {
  /** Rows whose label is now known, in input order. */
  rows: LabelledRow[];
  /** Alarms that ended. */
  alarms: Alarm[];
}

export class AlarmLabeller {
  private held: ScoredRow[] = [];
  private alarm: { start: ScoredRow; end: ScoredRow; peak: ScoredRow; points: number; labelled: boolean } | undefined;

  constructor(
    private readonly threshold: number,
    private readonly maxHeld = 100_000,
  ) {}

  push(row: ScoredRow): LabellerStep {
    const step: LabellerStep = { rows: [], alarms: [] };
    const a = this.alarm;
    if (a) {
      if (row.value >= row.lower && row.value <= row.upper) {
        this.close(step, false);
      } else {
        a.end = row;
        a.points++;
        if (row.score > a.peak.score) a.peak = row;
        if (!a.labelled) {
          this.held.push(row);
          if (this.held.length >= this.maxHeld) {
            this.flush(step);
            a.labelled = true;
          }
        } else step.rows.push({ ...row, label: 0 });
        return step;
      }
    }
    if (row.score >= this.threshold) {
      this.alarm = { start: row, end: row, peak: row, points: 1, labelled: false };
      this.held.push(row);
    } else step.rows.push({ ...row, label: 0 });
    return step;
  }

  /** Ends the input: an open alarm is reported as open. */
  end(): LabellerStep {
    const step: LabellerStep = { rows: [], alarms: [] };
    if (this.alarm) this.close(step, true);
    return step;
  }

  private close(step: LabellerStep, open: boolean): void {
    const a = this.alarm;
    if (!a) return;
    if (!a.labelled) this.flush(step);
    step.alarms.push({ start: a.start, end: a.end, peak: a.peak, points: a.points, open });
    this.alarm = undefined;
  }

  /** Writes out the held rows with the highest-scoring one labelled. */
  private flush(step: LabellerStep): void {
    let best = 0;
    for (let i = 1; i < this.held.length; i++) if (this.held[i].score > this.held[best].score) best = i;
    this.held.forEach((r, i) => step.rows.push({ ...r, label: i === best ? 1 : 0 }));
    this.held = [];
  }
}
