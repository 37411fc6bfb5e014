import Type, { type Static } from 'typebox';
import { CheckDefinition, type Check } from '../probes/check.js';
import { ERROR_CLASSES, type ProbeResult } from '../probes/result.js';
import type { MatrixRow } from '../probes/service.js';
import type { Agent } from '../store/probe-repository.js';
import { EpochMs } from './common-schemas.js';
import type { SameShape } from './contract.js';

/** Answers of the check and agent routes (checks.ts, agents.ts). Times are epoch ms. */

export const CheckJson = Type.Object({ id: Type.String(), ...CheckDefinition.properties }, { additionalProperties: false, description: 'a check with its full definition (admin)' });
const _check: SameShape<Static<typeof CheckJson>, Check> = true;

/** What anyone may see of a check: no headers, bodies or conditions (they may hold credentials). */
export const PublicCheckJson = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    service: Type.Optional(Type.String()),
    type: CheckDefinition.properties.type,
    target: Type.String(),
    interval: Type.String(),
    locations: Type.Array(Type.String()),
  },
  { additionalProperties: false, description: 'the public fields of a check' },
);
export type PublicCheckJson = Static<typeof PublicCheckJson>;

export const ChecksAnswer = Type.Object(
  { checks: Type.Array(Type.Union([CheckJson, PublicCheckJson]), { description: 'full definitions with the admin token, the public fields without' }) },
  { additionalProperties: false },
);

export const ProbeResultJson = Type.Object(
  {
    id: Type.String(),
    checkId: Type.String(),
    location: Type.String(),
    agentId: Type.Optional(Type.String()),
    at: EpochMs('when the probe started'),
    ok: Type.Boolean(),
    errorClass: Type.Enum(ERROR_CLASSES),
    latencyMs: Type.Number({ minimum: 0 }),
    status: Type.Optional(Type.Integer()),
    detail: Type.String(),
    conditions: Type.Optional(Type.Array(Type.Object({ condition: Type.String(), ok: Type.Boolean(), actual: Type.String() }, { additionalProperties: false }))),
    certExpiresAt: Type.Optional(EpochMs('when the peer certificate expires')),
  },
  { additionalProperties: false },
);
const _result: SameShape<Static<typeof ProbeResultJson>, ProbeResult> = true;

const MatrixRowJson = Type.Object(
  {
    location: Type.String(),
    last: Type.Union([ProbeResultJson, Type.Null()], { description: 'the newest result; null before the first' }),
    recent: Type.Array(ProbeResultJson, { description: 'newest first' }),
    okRatio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
);
const _row: SameShape<Static<typeof MatrixRowJson>, MatrixRow> = true;

export const MatrixAnswer = Type.Object(
  {
    check: PublicCheckJson,
    rows: Type.Array(MatrixRowJson),
    summary: Type.Object(
      {
        locations: Type.Integer({ minimum: 0 }),
        failing: Type.Integer({ minimum: 0 }),
        errorClasses: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'failing locations per error class' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ResultsAnswer = Type.Object(
  { check: PublicCheckJson, from: EpochMs(), to: EpochMs(), results: Type.Array(ProbeResultJson) },
  { additionalProperties: false },
);

export const AgentJson = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    location: Type.Union([Type.String(), Type.Null()], { description: 'the fixed location; null when the agent declares its own' }),
    createdAt: EpochMs(),
    revokedAt: Type.Optional(EpochMs()),
    lastSeenAt: Type.Optional(EpochMs()),
  },
  { additionalProperties: false },
);
export type AgentJson = Static<typeof AgentJson>;
const _agent: SameShape<Omit<Static<typeof AgentJson>, 'location'>, Omit<Agent, 'location'>> = true;

export const CreatedAgentAnswer = Type.Object({ agent: AgentJson, token: Type.String({ description: 'shown only in this answer' }) }, { additionalProperties: false });
export const AgentsAnswer = Type.Object({ agents: Type.Array(AgentJson) }, { additionalProperties: false });
export const AssignmentsAnswer = Type.Object(
  {
    agentId: Type.String(),
    location: Type.String({ description: 'where results are filed' }),
    checks: Type.Array(CheckJson),
  },
  { additionalProperties: false },
);
export const ResultsPushAnswer = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'results stored' }),
    duplicates: Type.Integer({ minimum: 0, description: 'results already stored (same id)' }),
    ignored: Type.Integer({ minimum: 0, description: 'results for checks that no longer exist' }),
    refused: Type.Integer({ minimum: 0, description: "results for checks not assigned to this agent's location (not stored)" }),
  },
  { additionalProperties: false },
);
