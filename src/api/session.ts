import Type from 'typebox';
import { hashSessionId, newSessionSecrets, SESSION_COOKIE, SESSION_TTL_MS } from './admin-session.js';
import type { App } from './app.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError, unauthorized } from './errors.js';
import { operatorsOf } from './operators-of.js';

const tags = ['session'];
const SessionJson = Type.Object(
  {
    signedIn: Type.Boolean(),
    csrf: Type.Optional(Type.String({ description: 'send it as X-CSRF-Token with every write made with the cookie' })),
    expiresAt: Type.Optional(Type.Integer({ description: 'epoch milliseconds' })),
  },
  { additionalProperties: false },
);

/**
 * `/api/v1/session`: sign in to the dashboard's admin area with the admin token (a session
 * cookie comes back), read the session (and its CSRF token), sign out.
 */
export async function sessionRoutes(app: App, deps: AppDeps): Promise<void> {
  const secure = operatorsOf(deps).page.publicUrl.startsWith('https:');
  const cookie = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };

  app.post(
    '/api/v1/session',
    op({
      operationId: 'signIn', tags, access: 'public', bodyLimit: 4096, summary: 'Sign in with the admin token: sets an httpOnly session cookie',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
      response: { 200: SessionJson }, errors: [401],
    }),
    async (request, reply) => {
      if (!(await deps.adminToken.verify(request.body.token))) throw unauthorized('the admin token is not valid');
      const now = deps.clock.now();
      const { id, csrf } = newSessionSecrets();
      const expiresAt = now + SESSION_TTL_MS;
      await deps.store.sessions.deleteExpired(now);
      await deps.store.sessions.create({ idHash: hashSessionId(id), csrf, createdAt: now, expiresAt });
      void reply.setCookie(SESSION_COOKIE, id, { ...cookie, maxAge: SESSION_TTL_MS / 1000 });
      return { signedIn: true, csrf, expiresAt };
    },
  );

  app.get(
    '/api/v1/session',
    op({ operationId: 'getSession', tags, access: 'public', summary: 'Whether this browser is signed in, and its CSRF token', response: { 200: SessionJson } }),
    async (request) => {
      const id = request.cookies[SESSION_COOKIE];
      const session = id && id.length <= 100 ? await deps.store.sessions.get(hashSessionId(id), deps.clock.now()) : undefined;
      return session ? { signedIn: true, csrf: session.csrf, expiresAt: session.expiresAt } : { signedIn: false };
    },
  );

  app.delete(
    '/api/v1/session',
    op({ operationId: 'signOut', tags, access: 'public', summary: 'Sign out: ends the session (needs its CSRF token)', response: { 204: NoContent }, errors: [403] }),
    async (request, reply) => {
      const id = request.cookies[SESSION_COOKIE];
      if (id && id.length <= 100) {
        const session = await deps.store.sessions.get(hashSessionId(id), deps.clock.now());
        if (session && request.headers['x-csrf-token'] !== session.csrf) throw new ApiError(403, 'csrf', 'X-CSRF-Token is missing or does not match the session');
        await deps.store.sessions.delete(hashSessionId(id));
      }
      void reply.clearCookie(SESSION_COOKIE, cookie);
      return reply.status(204).send(null);
    },
  );
}
