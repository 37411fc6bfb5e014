/**
 * Rendezvous (highest random weight) hashing: the owner of a key is the node whose hash with
 * the key is highest. Every node computes the same owner from the same list of live nodes,
 * with no coordination, and when a node joins or leaves only the keys it wins or held move.
 */
export function ownerOf(key: string, nodes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = weight(node, key);
    if (score > bestScore || (score === bestScore && best !== undefined && node < best)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}

/** A 32-bit FNV-1a of node, separator and key, then a murmur3 finaliser for spread. */
export function weight(node: string, key: string): number {
  let h = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  mix(node);
  h = Math.imul(h ^ 0, 0x01000193);
  mix(key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
