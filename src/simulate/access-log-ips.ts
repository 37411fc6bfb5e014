import type { CountryLookup } from '../geo/country.js';

function randomPublicIpv4(rand: () => number): string {
  for (;;) {
    const a = 1 + Math.floor(rand() * 223);
    const b = Math.floor(rand() * 256);
    if (a === 10 || a === 127 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128)) continue;
    return `${a}.${b}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  }
}

/**
 * Real, routable addresses grouped by the country the geo database maps them to, so that
 * attribution of a generated flood shows a genuine spread. Without a database every
 * address lands in one "??" bucket.
 */
export class AddressPool {
  private readonly byCountry = new Map<string, string[]>();
  private readonly countries: string[];
  private readonly weights: number[];
  private readonly used = new Set<string>();

  constructor(private readonly rand: () => number, lookup: CountryLookup | null, samples = 200_000) {
    for (let i = 0; i < samples; i++) {
      const ip = randomPublicIpv4(rand);
      const c = lookup ? lookup.country(ip) : '??';
      if (!c) continue;
      const list = this.byCountry.get(c) ?? [];
      list.push(ip);
      this.byCountry.set(c, list);
    }
    this.countries = [...this.byCountry.keys()].sort();
    // Square-root weighting flattens the address-space giants (US, CN) the way real IoT
    // botnets are flatter than the address space: many countries, none dominant.
    this.weights = this.countries.map((c) => Math.sqrt(this.byCountry.get(c)?.length ?? 0));
  }

  /** A fresh address (never handed out before) from a country-balanced draw. */
  spreadAddress(): string {
    const total = this.weights.reduce((s, w) => s + w, 0);
    for (;;) {
      let r = this.rand() * total;
      let k = 0;
      while (k < this.weights.length - 1 && r >= this.weights[k]) r -= this.weights[k++];
      const list = this.byCountry.get(this.countries[k]) ?? [];
      const ip = list[Math.floor(this.rand() * list.length)];
      if (ip && !this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
      if (this.used.size > 150_000) throw new Error('address pool exhausted');
    }
  }

  /** A fresh address drawn in proportion to address space (ordinary visitors). */
  plainAddress(): string {
    for (;;) {
      const ip = randomPublicIpv4(this.rand);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }
}
