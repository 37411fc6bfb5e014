import type uPlot from 'uplot';

/** A chart's host element carries its uPlot instance, so browser tests read what is drawn, not the API. */
export type PlotHost = HTMLDivElement & { uplot?: uPlot };

/** A colour of the current theme (a CSS custom property on the root). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * Draws a chart into `el` now and again on every theme change (colours are read when drawing),
 * and resizes it with its box. `size` gives the chart's size for a box width. Returns the
 * cleanup for the effect that mounted it.
 */
export function mountPlot(el: PlotHost, draw: (size: { width: number; height: number }) => uPlot, size: (boxWidth: number) => { width: number; height: number }): () => void {
  let plot: uPlot | undefined;
  const render = (): void => {
    plot?.destroy();
    plot = draw(size(el.clientWidth));
    el.uplot = plot;
  };
  render();
  const ro = new ResizeObserver(() => {
    if (plot && Math.abs(plot.width - el.clientWidth) > 2) plot.setSize(size(el.clientWidth));
  });
  ro.observe(el);
  window.addEventListener('themechange', render);
  return () => {
    ro.disconnect();
    window.removeEventListener('themechange', render);
    plot?.destroy();
    el.uplot = undefined;
  };
}
