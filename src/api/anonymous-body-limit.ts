import { Transform, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/**
 * A `preParsing` hook for routes the admin and anyone may call (`admin-optional`): anyone
 * gets a smaller body than the admin. Runs after authentication (onRequest), so the bytes of
 * an anonymous body beyond `max` are never read: a declared length over it is refused at
 * once, a chunked body as soon as it passes it.
 */
export function anonymousBodyLimit(max: number) {
  const tooLarge = (): ApiError => new ApiError(413, 'body_too_large', `without the admin token a body may hold at most ${max} bytes`);
  return async (request: FastifyRequest, _reply: FastifyReply, payload: Readable): Promise<Readable> => {
    if (request.isAdmin) return payload;
    const declared = Number(request.headers['content-length']);
    if (declared > max) throw tooLarge();
    let seen = 0;
    const capped = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        if (seen > max) callback(tooLarge());
        else callback(null, chunk);
      },
    });
    payload.on('error', (err) => capped.destroy(err));
    return payload.pipe(capped);
  };
}
