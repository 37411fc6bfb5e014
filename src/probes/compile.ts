import { CheckDefinitionError, timeoutMs, type Check, type CheckDefinition } from './check.js';
import { ConditionError, parseCondition, SUBJECT_TYPES, type Condition } from './conditions.js';
import type { Prober, ProberRegistry } from './prober.js';

/** A check ready to run: definition validated, conditions parsed once. */
export interface CompiledCheck {
  readonly check: Check;
  readonly prober: Prober;
  readonly conditions: readonly Condition[];
  readonly timeoutMs: number;
}

/**
 * Validates what the schema cannot express (targets per type, condition grammar, subjects
 * the type can measure) and returns the parsed conditions. Shared by config load and API.
 */
export function validateCheck(def: CheckDefinition, registry: ProberRegistry): { prober: Prober; conditions: Condition[] } {
  const prober = registry.get(def.type);
  if (!prober) throw new CheckDefinitionError('type', `no prober for check type "${def.type}"`);
  prober.validate(def);
  const texts = def.conditions.length > 0 ? def.conditions : prober.defaultConditions;
  const conditions = texts.map((text, i) => {
    let c: Condition;
    try {
      c = parseCondition(text);
    } catch (err) {
      if (err instanceof ConditionError) throw new CheckDefinitionError(`conditions.${i}`, err.message);
      throw err;
    }
    if (!SUBJECT_TYPES[c.subject].includes(def.type)) {
      throw new CheckDefinitionError(`conditions.${i}`, `condition "${text}": ${c.subject} is not measured by ${def.type} checks`);
    }
    return c;
  });
  return { prober, conditions };
}

export function compileCheck(check: Check, registry: ProberRegistry): CompiledCheck {
  const { prober, conditions } = validateCheck(check, registry);
  return { check, prober, conditions, timeoutMs: timeoutMs(check) };
}
