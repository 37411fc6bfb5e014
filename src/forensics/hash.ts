/**
 * 32-bit hashes of source addresses, computed straight from the log bytes so that the hot
 * path never builds a string for lines it only counts. FNV-1a spreads poorly in the low
 * bits, so every hash ends with murmur3's finaliser (HyperLogLog and the first-seen sketch rely on that).
 */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return fmix32(h);
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), 0x01000193);
  return fmix32(h);
}

export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
