import Type from 'typebox';
import type { App } from './app.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { operatorCall } from './operator-errors.js';
import { operatorsOf } from './operators-of.js';
import { DismissBody, OperatorIncidentAnswer, IncidentPatchBody, NewIncidentBody, UpdateAnswer, UpdateBody } from './operators-schemas.js';

const tags = ['incidents'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false });
/** Update texts are at most 10,000 characters; postmortems 50,000. */
const BODY_LIMIT = 256 * 1024;

/**
 * What operators say: open an incident, post updates (status, Markdown text, the services'
 * new status) to it or to an automatic one, edit it, publish a postmortem, dismiss a false
 * automatic incident. Reads go through incidents.ts, which shows both kinds.
 */
export async function operatorIncidentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);

  app.post(
    '/api/v1/incidents',
    op({ operationId: 'createIncident', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Open an incident (operator): services, impact, title and the first update', body: NewIncidentBody, response: { 201: OperatorIncidentAnswer } }),
    async (request, reply) => {
      const incident = await operatorCall(() => ops.incidents.open(request.body));
      return reply.status(201).send({ incident });
    },
  );

  app.post(
    '/api/v1/incidents/:id/updates',
    op({ operationId: 'postIncidentUpdate', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Post an update: status, Markdown text, the affected services and their new status', params: IdParams, body: UpdateBody, response: { 201: UpdateAnswer }, errors: [404, 409] }),
    async (request, reply) => {
      const answer = await operatorCall(() => ops.incidents.update(request.params.id, request.body));
      return reply.status(201).send(answer);
    },
  );

  app.patch(
    '/api/v1/incidents/:id',
    op({ operationId: 'updateIncident', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Change the title or impact, or publish a postmortem (null removes it)', params: IdParams, body: IncidentPatchBody, response: { 200: OperatorIncidentAnswer }, errors: [404, 409] }),
    async (request) => ({ incident: await operatorCall(() => ops.incidents.patch(request.params.id, request.body)) }),
  );

  app.post(
    '/api/v1/incidents/:id/dismiss',
    op({ operationId: 'dismissIncident', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Dismiss a false automatic incident: kept as dismissed, left out of uptime and status', params: IdParams, body: DismissBody, response: { 200: OperatorIncidentAnswer }, errors: [404, 409] }),
    async (request) => ({ incident: await operatorCall(() => ops.incidents.dismiss(request.params.id, request.body.reason)) }),
  );
}
