import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { replayProgress } from '../../src/cli/replay-progress.js';

/** What `simulate --target` prints: a bar on a terminal, one line per day otherwise. */
class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 100;
  cursorTo(x: number, y?: number | (() => void), cb?: () => void): boolean {
    void x;
    void y;
    cb?.();
    return true;
  }
  clearLine(_dir: number, cb?: () => void): boolean {
    cb?.();
    return true;
  }
  moveCursor(_dx: number, _dy: number, cb?: () => void): boolean {
    cb?.();
    return true;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const days = [
  { day: '2025-03-09', reports: 2 },
  { day: '2025-03-10', reports: 3 },
];
const at = (day: string, n: number) => Array.from({ length: n }, () => ({ service: 'x', problem: 'app', region: 'DE', ts: `${day}T10:00:00.000Z` }));

describe('replay progress view', () => {
  it('prints one plain line per completed day when not on a terminal', () => {
    const out = new Capture(false);
    const view = replayProgress(days, out as unknown as NodeJS.WriteStream);
    view.batch([...at('2025-03-09', 2), ...at('2025-03-10', 1)]);
    view.batch(at('2025-03-10', 2));
    view.stop();
    expect(out.text.split('\n').filter(Boolean)).toEqual(['  2025-03-09            2 reports   40%', '  2025-03-10            3 reports  100%']);
  });

  it('draws a bar with the current day and the reports sent of the total on a terminal', () => {
    const out = new Capture(true);
    const view = replayProgress(days, out as unknown as NodeJS.WriteStream);
    view.batch(at('2025-03-09', 2));
    view.batch(at('2025-03-10', 3));
    view.stop();
    expect(out.text).toMatch(/2025-03-09 \[/);
    expect(out.text).toMatch(/100% \| 5\/5 reports/);
  });
});
