import { iso31662 } from 'iso-3166/2.js';
import type { RegionNameLookup } from '../model/labels.js';

/**
 * English names of regions, offline: countries from the browser's own ICU data
 * (`Intl.DisplayNames`), ISO 3166-2 subdivisions from the `iso-3166` package. Loaded on
 * demand with the map, so the list of 5,000 subdivisions never weighs on the first page.
 */
const subdivisions = new Map(iso31662.map((e) => [e.code, e.name]));
const countries = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

export const regionName: RegionNameLookup = (code) => {
  if (/^[A-Z]{2}$/.test(code)) return countries.of(code);
  return subdivisions.get(code);
};
