/**
 * The small JSON-path subset conditions need: `$`, `.key`, `[index]`, `["quoted key"]`.
 * Parsed once when a condition is parsed; evaluation only walks the steps.
 */
export type PathStep = string | number;

export class JsonPathError extends Error {}

export function parseJsonPath(text: string): PathStep[] {
  if (!text.startsWith('$')) throw new JsonPathError(`JSON path must start with "$", got "${text}"`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i + 1));
      if (!m) throw new JsonPathError(`expected a key after "." at position ${i + 1} of "${text}"`);
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (ch === '[') {
      const rest = text.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        steps.push(quoted[1].replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        throw new JsonPathError(`expected [index] or ["key"] at position ${i} of "${text}"`);
      }
    } else {
      throw new JsonPathError(`unexpected "${ch}" at position ${i} of "${text}"`);
    }
  }
  return steps;
}

/** The value at `steps`, or undefined when any step is missing. */
export function walkJson(value: unknown, steps: readonly PathStep[]): unknown {
  let node = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return undefined;
      node = node[step];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}
