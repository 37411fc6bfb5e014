import { LinkSigner } from '../../src/subscriptions/link-token.js';
import type { Seeded } from './contract-seed.js';

/** One HTTP call of an operation; method and path come from the OpenAPI document. */
export interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  /** A raw body, with its content type. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Which token to send; default: the one the operation's `security` asks for. */
  auth?: 'admin' | 'agent' | 'none' | 'wrong';
}

export interface Ctx {
  seeded: Seeded;
  now: number;
  checkId: string;
  agentId: string;
  agentToken: string;
  instantId: string;
  ruleId: string;
  operatorIncidentId: string;
  maintenanceId: string;
  subscriberId: string;
  /** The server's key for subscription links (settings), to make a real confirmation link. */
  linkKey: string;
}

export interface Step {
  /** A valid call: its answer must be a documented 2xx matching its schema. */
  ok: (c: Ctx) => Call;
  /** More valid calls, checked the same way (e.g. the same report twice). */
  more?: (c: Ctx) => Call[];
  /**
   * A call that must get a documented 4xx with the error body. Token-protected operations
   * default to the valid call without a token (401). `none` says why there is no 4xx.
   */
  bad?: ((c: Ctx) => Call) | { none: string };
  /** Reads what later steps need (ids, tokens) from the answer of `ok`. */
  then?: (body: Record<string, unknown>, c: Ctx) => void;
}

const NO_INPUT = { none: 'takes no input, so there is no 4xx to provoke' };
const x = { slug: 'x' };
const hist = { slug: 'hist' };
const LONG = 'a'.repeat(121);

/**
 * Every documented operation, in the order the contract test drives them (creations
 * first, deletions last). The test fails when an operation of the document has no entry
 * here, or an entry names no operation: a new route must come with its row.
 */
export const steps: Record<string, Step> = {
  getHealth: { ok: () => ({}), bad: NO_INPUT },
  getServerTime: { ok: () => ({}), bad: NO_INPUT },
  getMetrics: { ok: () => ({}), bad: NO_INPUT },
  // Admin: the default bad call (no token) is the 401.
  getCluster: { ok: () => ({}) },

  createService: { ok: () => ({ json: { slug: 'svc2', name: 'Service 2', url: 'https://svc2.example', logo: 'https://svc2.example/logo.png', category: 'dev' } }) },
  listServices: { ok: () => ({}), bad: NO_INPUT },
  getService: { ok: () => ({ params: { slug: 'svc2' } }), bad: () => ({ params: { slug: 'nope' } }) },
  updateService: { ok: () => ({ params: { slug: 'svc2' }, json: { name: 'Service Two', category: null } }) },

  submitReport: {
    ok: () => ({ params: x, json: { problem: 'app', region: 'US-CA', client: 'web' } }),
    // The same person again: a duplicate, answered 202 with accepted: false.
    more: () => [{ params: x, json: { problem: 'login' } }],
    bad: () => ({ params: x, json: { problem: 'nope' } }),
  },
  importReports: {
    ok: (c) => ({
      contentType: 'application/x-ndjson',
      body: [
        JSON.stringify({ service: 'x', problem: 'website', reporter: 'r1', ts: c.now - 60_000 }),
        JSON.stringify({ service: 'x', problem: 'app', reporter: 'r2', ts: new Date(c.now - 120_000).toISOString(), region: 'DE', client: 'mobile' }),
        JSON.stringify({ service: 'x', problem: 'app', reporter: 'r1', ts: c.now - 30_000 }),
        JSON.stringify({ service: 'nope', problem: 'app' }),
        '',
      ].join('\n'),
    }),
    more: (c) => {
      const keyed = { contentType: 'application/x-ndjson', headers: { 'idempotency-key': 'contract-batch-1' }, body: `{"service":"x","problem":"feed","reporter":"r9","ts":${c.now - 90_000}}\n` };
      // Anyone may import without ts; the same keyed batch twice is stored once (replayed).
      return [{ auth: 'none', contentType: 'application/x-ndjson', body: '{"service":"x","problem":"feed"}\n' }, keyed, keyed];
    },
  },
  getReportSeries: { ok: (c) => ({ params: x, query: { from: String(c.now - 3_600_000), step: '15m' } }), bad: () => ({ params: x, query: { step: '7m' } }) },
  getReportBreakdown: { ok: () => ({ params: x }), bad: () => ({ params: x, query: { from: 'yesterday' } }) },
  getReportRegions: { ok: (c) => ({ params: x, query: { from: new Date(c.now - 3_600_000).toISOString() } }), bad: () => ({ params: { slug: 'nope' } }) },
  getServiceBreakdown: { ok: () => ({ params: x }), bad: () => ({ params: { slug: 'nope' } }) },
  getServiceRegions: { ok: () => ({ params: x }), bad: () => ({ params: x, query: { to: '2025-13-45' } }) },

  listIncidents: { ok: (c) => ({ query: { service: 'hist', from: String(c.now - 86_400_000) } }), bad: () => ({ query: { limit: '0' } }) },
  getIncident: { ok: (c) => ({ params: { id: c.seeded.incidentId } }), bad: () => ({ params: { id: 'nope' } }) },
  listServiceIncidents: { ok: () => ({ params: hist }), bad: () => ({ params: { slug: 'nope' } }) },
  getServiceStatus: { ok: () => ({ params: hist }), bad: () => ({ params: { slug: 'nope' } }) },
  listServiceStatuses: { ok: () => ({}), bad: NO_INPUT },
  getServiceUptime: { ok: () => ({ params: hist, query: { days: '30' } }), bad: () => ({ params: hist, query: { days: '0' } }) },
  listSuspectedSpam: { ok: () => ({ query: { service: 'hist' } }) },
  getServiceBaseline: {
    ok: (c) => ({ params: hist, query: { from: String(c.now - 8 * 3_600_000), to: new Date(c.now).toISOString(), step: '1h' } }),
    bad: () => ({ params: hist, query: { from: 'later', to: 'sooner' } }),
  },
  createIncident: {
    ok: () => ({ json: { title: 'Checkout <fails>', impact: 'major', services: ['x'], update: { status: 'investigating', body: 'We are **looking**.', components: [{ service: 'x', status: 'partial_outage' }] } } }),
    then: (b, c) => void (c.operatorIncidentId = (b.incident as { id: string }).id),
  },
  postIncidentUpdate: {
    ok: (c) => ({ params: { id: c.operatorIncidentId }, json: { status: 'identified', body: 'A bad deploy.', components: [{ service: 'x', status: 'major_outage' }] } }),
    more: (c) => [{ params: { id: c.seeded.incidentId }, json: { status: 'resolved', body: 'An operator note on an automatic incident.' } }, { params: { id: c.operatorIncidentId }, json: { status: 'resolved', body: 'Rolled back.' } }],
  },
  updateIncident: { ok: (c) => ({ params: { id: c.operatorIncidentId }, json: { title: 'Checkout failed', impact: 'critical', postmortem: '## Timeline\n\nA config change.' } }) },
  dismissIncident: { ok: (c) => ({ params: { id: c.seeded.openIncidentId }, json: { reason: 'A newsletter, not an outage.' } }) },
  createMaintenance: {
    ok: (c) => ({ json: { title: 'Upgrade', body: 'New *disks*.', services: ['x'], startsAt: new Date(c.now + 3_600_000).toISOString(), endsAt: c.now + 7_200_000 } }),
    then: (b, c) => void (c.maintenanceId = (b.maintenance as { id: string }).id),
  },
  listMaintenances: { ok: () => ({ query: { status: 'scheduled', service: 'x' } }), bad: () => ({ query: { status: 'soon' } }) },
  getMaintenance: { ok: (c) => ({ params: { id: c.maintenanceId } }), bad: () => ({ params: { id: 'nope' } }) },
  updateMaintenance: { ok: (c) => ({ params: { id: c.maintenanceId }, json: { title: 'Upgrade (longer)', endsAt: c.now + 9_000_000 } }) },
  // After the operator incidents and the maintenance: their answers then carry every field.
  getStatuspageSummary: { ok: () => ({}), bad: NO_INPUT },
  getStatuspageStatus: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageComponents: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageIncidents: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageUnresolvedIncidents: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageMaintenances: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageUpcomingMaintenances: { ok: () => ({}), bad: NO_INPUT },
  listStatuspageActiveMaintenances: { ok: () => ({}), bad: NO_INPUT },
  createSubscriber: {
    ok: () => ({ json: { kind: 'email', email: 'ann@contract.example', scope: 'x' } }),
    more: () => [{ json: { kind: 'webhook', url: 'http://127.0.0.1:9/status', secret: 'contract-webhook-secret', scope: 'social' } }],
    then: (b, c) => void (c.subscriberId = (b.subscriber as { id: string }).id),
  },
  confirmSubscription: {
    ok: (c) => ({ params: { id: c.subscriberId }, query: { expires: String(c.now + 3_600_000), token: new LinkSigner(c.linkKey).sign('confirm', c.subscriberId, c.now + 3_600_000) } }),
    bad: (c) => ({ params: { id: c.subscriberId }, query: { expires: String(c.now + 3_600_000), token: 'forged' } }),
  },
  subscribe: { ok: () => ({ json: { email: 'bob@contract.example', scope: 'social' } }), bad: () => ({ json: { email: 'not an address' } }) },
  listSubscribers: { ok: () => ({}) },
  getStatusPageModel: { ok: () => ({ params: x }), bad: () => ({ params: { slug: 'nope' } }) },
  getHistoryAtom: { ok: () => ({}), bad: NO_INPUT },
  getHistoryRss: { ok: () => ({}), bad: NO_INPUT },
  getStatusPageHistoryAtom: { ok: () => ({ params: { slug: 'social' } }), bad: () => ({ params: { slug: 'nope' } }) },
  getStatusPageHistoryRss: { ok: () => ({ params: x }), bad: () => ({ params: { slug: 'nope' } }) },
  getStatusBadge: { ok: () => ({ params: x }), bad: () => ({ params: { slug: 'nope' } }) },
  getUptimeBadge: { ok: () => ({ params: { slug: 'social' } }), bad: () => ({ params: { slug: 'nope' } }) },
  signIn: { ok: () => ({ json: { token: 'contract-admin-token-0123456789' } }), bad: () => ({ json: { token: 'not-the-admin-token' } }) },
  getSession: { ok: () => ({}), bad: NO_INPUT },
  signOut: { ok: () => ({}), bad: { none: 'its 403 needs a session cookie without its CSRF token; test/operators/api.test.ts provokes it' } },
  streamEvents: { ok: () => ({ query: { service: 'x' } }), bad: () => ({ query: { service: 'Not A Slug' } }) },

  createCheck: {
    ok: () => ({
      json: { name: 'contract-http', service: 'x', type: 'http', target: 'http://127.0.0.1:9/health', interval: '1h', conditions: ['status == 200'], locations: ['Frankfurt, DE'], http: { headers: { authorization: 'Bearer s3cret' } } },
    }),
    then: (b, c) => void (c.checkId = b.id as string),
  },
  listChecks: { ok: () => ({}), more: () => [{ auth: 'none', query: { service: 'x' } }] },
  getCheck: { ok: (c) => ({ params: { id: c.checkId } }) },
  updateCheck: { ok: (c) => ({ params: { id: c.checkId }, json: { interval: '2h' } }) },
  createAgent: {
    ok: () => ({ json: { name: 'contract-agent', location: 'Frankfurt, DE' } }),
    then: (b, c) => {
      c.agentId = (b.agent as { id: string }).id;
      c.agentToken = b.token as string;
    },
  },
  getAgentAssignments: { ok: () => ({}) },
  pushAgentResults: {
    ok: (c) => ({
      json: {
        results: [
          { id: 'result-0001', checkId: c.checkId, at: c.now - 60_000, ok: false, errorClass: 'http_5xx', latencyMs: 12.5, status: 503, detail: 'status 503', conditions: [{ condition: 'status == 200', ok: false, actual: 'status 503' }] },
          { id: 'result-0002', checkId: c.checkId, at: new Date(c.now - 30_000).toISOString(), ok: true, errorClass: 'ok', latencyMs: 4, status: 200, detail: 'status 200' },
          { id: 'result-0003', checkId: 'gone', at: c.now, ok: true, errorClass: 'ok', latencyMs: 1, detail: 'ok' },
        ],
      },
    }),
  },
  createInstantCheck: {
    ok: () => ({ json: { type: 'tcp', target: '127.0.0.1:9' } }),
    bad: () => ({ json: { type: 'tcp', target: 'no-port' } }),
    then: (b, c) => void (c.instantId = b.id as string),
  },
  getInstantCheck: { ok: (c) => ({ params: { id: c.instantId } }), bad: () => ({ params: { id: '00000000-0000-0000-0000-000000000000' } }) },
  pollAgentInstantChecks: { ok: () => ({ query: { wait: '0' } }) },
  pushAgentInstantAnswers: {
    ok: (c) => ({ json: { answers: [{ id: c.instantId, ok: false, errorClass: 'connection_refused', latencyMs: 0.4, address: '127.0.0.1', detail: 'connect ECONNREFUSED 127.0.0.1:9', at: c.now }] } }),
  },
  getCheckMatrix: { ok: (c) => ({ params: { id: c.checkId }, query: { per: '3' } }), bad: () => ({ params: { id: 'nope' } }) },
  listCheckResults: { ok: (c) => ({ params: { id: c.checkId }, query: { from: new Date(c.now - 3_600_000).toISOString() } }), bad: (c) => ({ params: { id: c.checkId }, query: { from: 'soon' } }) },
  getCheckPage: { ok: (c) => ({ params: { id: c.checkId } }), bad: () => ({ params: { id: 'nope' } }) },
  listAgents: { ok: () => ({}) },

  createAlertChannel: { ok: () => ({ json: { name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hooks/s3cret-path', secret: 'signing-secret', headers: { 'x-team': 'ops' } } }) },
  listAlertChannels: { ok: () => ({}) },
  testAlertChannel: { ok: () => ({ params: { name: 'hook' } }) },
  createAlertRule: { ok: () => ({ json: { service: 'x', on: ['open', 'close'], channels: ['hook'], repeatInterval: '1h' } }), then: (b, c) => void (c.ruleId = b.id as string) },
  listAlertRules: { ok: () => ({}) },
  listAlertDeliveries: { ok: (c) => ({ query: { incident: c.seeded.incidentId, before: new Date(c.now).toISOString() } }) },
  getAlertDelivery: { ok: (c) => ({ params: { id: c.seeded.deliveryId } }) },
  getIncidentCorrelation: { ok: (c) => ({ params: { id: c.seeded.incidentId } }), bad: () => ({ params: { id: 'nope' } }) },
  listProbeEvents: { ok: () => ({ query: { service: 'hist' } }), bad: () => ({ query: { service: 'Not A Slug' } }) },

  createForensicsReport: {
    ok: (c) => ({ params: hist, json: { summary: { attacks: [{ start_unix: c.seeded.attackStart, end_unix: c.seeded.attackStart + 600, peak_rps: 900 }], lines: 120_000, bad_lines: 3 } } }),
  },
  listForensicsReports: { ok: () => ({ params: hist, query: { limit: '5' } }) },

  getHomePage: { ok: () => ({}), bad: { none: 'its only 4xx is 404 before the dashboard is built (test/web/web-static.test.ts)' } },
  getServicePage: { ok: () => ({ params: x }), bad: () => ({ params: { slug: LONG } }) },
  getStatusPage: { ok: () => ({ params: x }), bad: () => ({ params: { slug: LONG } }) },
  getIncidentsPage: { ok: () => ({}), bad: { none: 'its only 4xx is 404 before the dashboard is built (test/web/web-static.test.ts)' } },
  getIncidentPage: { ok: (c) => ({ params: { id: c.seeded.incidentId } }), bad: () => ({ params: { id: LONG } }) },
  getInstantCheckPage: { ok: () => ({ query: { type: 'http', target: 'https://x.com/' } }), bad: { none: 'its only 4xx is 404 before the dashboard is built (test/web/web-static.test.ts)' } },
  getMaintenancePage: { ok: (c) => ({ params: { id: c.maintenanceId } }), bad: () => ({ params: { id: LONG } }) },
  getSubscriptionPage: { ok: () => ({}), bad: { none: 'its only 4xx is 404 before the dashboard is built (test/web/web-static.test.ts)' } },
  getAdminPage: { ok: () => ({}), bad: { none: 'its only 4xx is 404 before the dashboard is built (test/web/web-static.test.ts)' } },
  getAdminSectionPage: { ok: () => ({ params: { section: 'incidents' } }), bad: () => ({ params: { section: LONG } }) },

  deleteSubscriber: { ok: (c) => ({ params: { id: c.subscriberId } }) },
  unsubscribeByLink: {
    ok: (c) => ({ params: { id: c.subscriberId }, query: { token: new LinkSigner(c.linkKey).sign('unsubscribe', c.subscriberId) } }),
    bad: (c) => ({ params: { id: c.subscriberId }, query: { token: 'forged' } }),
  },
  unsubscribeOneClick: {
    ok: (c) => ({ params: { id: c.subscriberId }, query: { token: new LinkSigner(c.linkKey).sign('unsubscribe', c.subscriberId) }, contentType: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' }),
    bad: (c) => ({ params: { id: c.subscriberId }, query: { token: 'forged' }, contentType: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' }),
  },
  deleteMaintenance: { ok: (c) => ({ params: { id: c.maintenanceId } }) },
  deleteAlertRule: { ok: (c) => ({ params: { id: c.ruleId } }) },
  deleteAlertChannel: { ok: () => ({ params: { name: 'hook' } }) },
  revokeAgent: { ok: (c) => ({ params: { id: c.agentId } }) },
  deleteCheck: { ok: (c) => ({ params: { id: c.checkId } }) },
  deleteService: { ok: () => ({ params: { slug: 'svc2' } }) },
};
