import { OperatorError } from '../incidents/operator-errors.js';
import { ApiError } from './errors.js';

const STATUS: Record<OperatorError['kind'], number> = { invalid: 400, not_found: 404, conflict: 409 };
const CODE: Record<OperatorError['kind'], string> = { invalid: 'invalid_request', not_found: 'not_found', conflict: 'conflict' };

/** Runs an operator action, turning its refusals into the API's error bodies. */
export async function operatorCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OperatorError) throw new ApiError(STATUS[err.kind], CODE[err.kind], err.message, err.field);
    throw err;
  }
}
