import type { SwaggerOptions } from '@fastify/swagger';

/**
 * The top of the OpenAPI document (`/api/docs/json`); the operations come from the routes'
 * `op(...)` contracts. docs/api-contract.md explains the conventions stated here.
 */
export function openApiDocument(): NonNullable<Extract<SwaggerOptions, { openapi?: unknown }>['openapi']> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stormwatch API',
      version: '1',
      summary: 'Crowd reports, incidents, probes, alerts and status pages of one Stormwatch server',
      description: [
        'Conventions (details in docs/api-contract.md):',
        '',
        '- **Errors**: every 4xx answer is `{ "error": code, "message": text, "field"?: path }` (schema `ErrorBody`).',
        '- **Times in**: every time you send (query `from`/`to`/`before`, batch `ts`, agent result `at`) may be ISO 8601 (`2025-03-10T09:30:00Z`) or epoch milliseconds.',
        '- **Times out**: each time field of an answer is documented as either `format: date-time` (ISO 8601, UTC) or "epoch milliseconds"; `/api/v1/time` gives both.',
        '- **Auth**: admin operations need `Authorization: Bearer <admin token>`; agent operations the agent token made by `POST /api/v1/agents`.',
      ].join('\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'the server that serves this document' }],
    tags: [
      { name: 'services', description: 'The services people report problems with' },
      { name: 'reports', description: 'Crowd reports and their series, breakdown and regions' },
      { name: 'incidents', description: 'Incidents found by the detector, and service status' },
      { name: 'probes', description: 'Active checks and their connectivity matrix' },
      { name: 'agents', description: 'Remote probe agents and their protocol' },
      { name: 'alerts', description: 'Alert channels, rules, deliveries and probe correlation' },
      { name: 'forensics', description: 'Attack analyses attached to services' },
      { name: 'statuspage v2', description: 'Atlassian Statuspage public API v2 shapes (services are components)' },
      { name: 'dashboard', description: 'Live events and the server clock, for the dashboard' },
      { name: 'web', description: 'HTML pages' },
      { name: 'operations', description: 'Health and Prometheus metrics' },
    ],
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token: configured, or generated at first start (`stormwatch token rotate` makes a new one)' },
        agentToken: { type: 'http', scheme: 'bearer', description: 'An agent token, returned once by `POST /api/v1/agents`' },
      },
    },
  };
}
