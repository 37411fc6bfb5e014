/** Where the incident phase labels go on the chart, so that no two overlap. Pure: widths come from a measure function. */

export interface LabelSpan {
  /** Left and right edge of the shaded phase, in pixels. */
  x0: number;
  x1: number;
  /** "Phase 3"; "3" is tried when the full text does not fit. */
  label: string;
}

export interface PlacedLabel {
  text: string;
  x: number;
  width: number;
  /** 0 for the top line, 1 for the line below. */
  row: number;
  /** Index of the span it labels. */
  span: number;
}

/**
 * Greedy, left to right: each phase gets its full label when that fits inside the phase, else
 * its number alone, on the first of `rows` lines where it does not run into the label before
 * it (with `gap` pixels between); with no line free it gets no label (the phase stays
 * hatched and is listed in the caption and the timeline).
 * A label starts at its phase's left edge (plus `pad`) and never runs past the plot's right edge.
 */
export function placePhaseLabels(spans: readonly LabelSpan[], measure: (text: string) => number, plotRight: number, options: { rows?: number; gap?: number; pad?: number } = {}): PlacedLabel[] {
  const rows = options.rows ?? 2;
  const gap = options.gap ?? 4;
  const pad = options.pad ?? 3;
  const rowEnd = new Array<number>(rows).fill(-Infinity);
  const placed: PlacedLabel[] = [];
  const order = spans.map((s, i) => ({ s, i })).sort((a, b) => a.s.x0 - b.s.x0);
  for (const { s, i } of order) {
    const short = s.label.replace(/^\D+/, '');
    // The full label when it fits inside its phase; the number alone otherwise, so crowded phases stay apart.
    const texts = short && short !== s.label && measure(s.label) + pad > s.x1 - s.x0 ? [short] : [s.label];
    let done = false;
    for (const text of texts) {
      const width = measure(text);
      const x = Math.min(s.x0 + pad, plotRight - width);
      for (let row = 0; row < rows && !done; row++) {
        if (x >= rowEnd[row] + gap) {
          placed.push({ text, x, width, row, span: i });
          rowEnd[row] = x + width;
          done = true;
        }
      }
      if (done) break;
    }
  }
  return placed;
}
