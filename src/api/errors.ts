/**
 * The error every API route answers with. Routes throw `ApiError`; the app's error handler
 * turns it, and every validation or framework error, into `{ error, message, field? }`.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: string, message: string, field?: string): ApiError =>
  new ApiError(400, code, message, field);
export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);
export const unauthorized = (message = 'a valid admin token is required'): ApiError =>
  new ApiError(401, 'unauthorized', message);
export const conflict = (message: string, field?: string): ApiError =>
  new ApiError(409, 'conflict', message, field);
