/** MON-1: the live department monitor (figures per department, pushed in coalesced deltas). */
import { Type, type Static } from '@sinclair/typebox';
import { AgentStatus, CommandId, DepartmentId, strict } from './common.js';
import { WatchedDepartments } from './supervise.js';

export const MonitorDepartmentsFrame = Type.Object(
  {
    type: Type.Literal('monitor_departments'),
    id: CommandId,
    departments: WatchedDepartments,
  },
  {
    ...strict,
    description:
      'Supervisors (their departments) and admins (all): the figures of each department in the ack, then `department_monitor` events with what changed, at most a few a second, until `unmonitor_departments` or the connection closes (MON-1).',
  },
);
export type MonitorDepartmentsFrame = Static<typeof MonitorDepartmentsFrame>;

export const UnmonitorDepartmentsFrame = Type.Object(
  { type: Type.Literal('unmonitor_departments'), id: CommandId },
  { ...strict, description: 'Stop the department monitor started by monitor_departments.' },
);
export type UnmonitorDepartmentsFrame = Static<typeof UnmonitorDepartmentsFrame>;

export const MonitoredAgent = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    status: AgentStatus,
    active: Type.Integer({
      minimum: 0,
      description: 'Conversations the agent holds now (offers waiting for an answer included).',
    }),
    max: Type.Integer({ minimum: 0, description: 'The most conversations the agent takes at once (ROUTE-11).' }),
  },
  {
    description: "An agent of the department (members and agents lent to it), as the agent's own actor last reported.",
  },
);
export type MonitoredAgent = Static<typeof MonitoredAgent>;

/** The figures of a department that are counts, always sent whole. */
const departmentCounts = {
  department: DepartmentId,
  name: Type.String(),
  queueLength: Type.Integer({ minimum: 0, description: 'Customers waiting in line (QUEUE-1).' }),
  backlog: Type.Integer({ minimum: 0, description: 'Left messages of customers who found the line full (QUEUE-4).' }),
  oldestQueuedAt: Type.Optional(
    Type.Integer({
      description: 'When the longest-waiting customer entered the queue (ms since epoch); absent when nobody waits.',
    }),
  ),
  longestWaitMs: Type.Integer({
    minimum: 0,
    description: 'The longest wait at `at`: `at − oldestQueuedAt`, 0 when nobody waits.',
  }),
  activeConversations: Type.Integer({
    minimum: 0,
    description: 'Open conversations of the department assigned to an agent.',
  }),
  day: Type.String({ description: "The department's day the two counts below belong to, YYYY-MM-DD." }),
  assignedToday: Type.Integer({
    minimum: 0,
    description: 'Assignments in the department on `day` (transfers in included).',
  }),
  resolvedToday: Type.Integer({ minimum: 0, description: 'Conversations of the department resolved on `day`.' }),
};

export const DepartmentFigures = Type.Object(
  { ...departmentCounts, agents: Type.Array(MonitoredAgent, { description: 'Every agent of the department.' }) },
  { description: 'A whole department, as in the ack of monitor_departments.' },
);
export type DepartmentFigures = Static<typeof DepartmentFigures>;

export const DepartmentDelta = Type.Object(
  {
    ...departmentCounts,
    agents: Type.Array(MonitoredAgent, {
      description: 'Only the agents whose figures changed, or who joined the department.',
    }),
    agentsGone: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Agents no longer in the department (a loan ended, a profile changed).',
      }),
    ),
  },
  { description: 'A department that changed: its counts whole, its agents only where they changed.' },
);
export type DepartmentDelta = Static<typeof DepartmentDelta>;

export const DepartmentMonitorEvent = Type.Object(
  {
    type: Type.Literal('department_monitor'),
    at: Type.Integer({ description: 'Server time of the figures (ms since epoch).' }),
    departments: Type.Array(DepartmentDelta, {
      description: 'The watched departments that changed since the last frame.',
    }),
  },
  {
    description:
      'Transient (no seq), to connections that sent `monitor_departments`: what changed in the watched departments since the last frame; at most one frame per connection per coalescing window (MON-1).',
  },
);
export type DepartmentMonitorEvent = Static<typeof DepartmentMonitorEvent>;
