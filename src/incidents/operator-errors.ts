/** Why an operator's request cannot be carried out; the API maps `kind` to its status code. */
export class OperatorError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'invalid',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}
