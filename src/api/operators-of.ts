import type { OperatorsDeps } from '../operators/operators-deps.js';
import type { AppDeps } from './deps.js';

/** The operator services; `buildApp` fills them in when the caller did not. */
export function operatorsOf(deps: AppDeps): OperatorsDeps {
  if (!deps.operators) throw new Error('operators deps missing: build the app with buildApp()');
  return deps.operators;
}
