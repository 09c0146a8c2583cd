/**
 * The simulated agents (SIM-1): each connects and goes online at the start of a shift, accepts offers,
 * comes back after the system set them away, and at the end of a shift turns `busy` until their last
 * conversation ends. Their slots available and in use are integrated over time for the occupancy figure.
 */
import { DEFAULT_MAX_CONCURRENT } from '../../actors/directory.js';
import type { AgentStatus, ServerFrame } from '../../protocol/frames.js';
import { sampleMs } from './random.js';
import { shiftIntervals } from './shifts.js';
import { noop, type SimAgent, type SimWorld } from './sim-world.js';

/** A simulated agent set `away` by the system (missed offers, response timeout) is back after this long. */
const AWAY_RETURN_MS = 60_000;

/** Integrates slots available and in use up to now, then takes the agent's new status and load. */
export function account(world: SimWorld, a: SimAgent, status: AgentStatus, active: number): void {
  const now = world.clock.now();
  if (a.status === 'online' || a.status === 'busy') {
    a.availableMs += a.max * (now - a.lastChange);
    a.usedMs += Math.min(a.active, a.max) * (now - a.lastChange);
  }
  a.status = status;
  a.active = active;
  a.lastChange = now;
}

/** What an agent's console would receive: offers to accept, and their own status and load. */
export function onAgentFrame(world: SimWorld, staffId: string, frame: ServerFrame): void {
  const { runtime, clock, scenario } = world;
  const a = world.agents.get(staffId);
  if (!a) return;
  const ref = world.dir.agent(staffId);
  if (!ref) return;
  if (frame.type === 'offer') {
    // Offer mode (ROUTE-17): the agent looks, then accepts.
    const delay = scenario.acceptDelay ? sampleMs(scenario.acceptDelay, world.acceptRng) : 0;
    const conversationId = frame.conversationId;
    clock.setTimer(delay, () => runtime.tell(ref, { type: 'answerOffer', conversationId, accept: true, reply: noop }));
    return;
  }
  if (frame.type !== 'agent_status') return;
  account(world, a, frame.status, frame.active);
  if (a.leaving && frame.active === 0 && frame.status !== 'offline') {
    a.leaving = false;
    runtime.tell(ref, { type: 'setStatus', status: 'offline', reply: noop });
    runtime.tell(ref, { type: 'disconnected' });
  } else if (frame.status === 'away' && a.onShift && !a.leaving) {
    clock.setTimer(AWAY_RETURN_MS, () => {
      if (a.onShift && a.status === 'away') runtime.tell(ref, { type: 'setStatus', status: 'online', reply: noop });
    });
  }
}

/** Creates the scenario's agents through the workspace actor and sets a timer for each shift's start and end. */
export async function createAgents(world: SimWorld, horizon: number): Promise<void> {
  const { scenario, runtime, clock, dir, start } = world;
  const departmentDefaults = new Map(
    scenario.departments.map((d) => [d.id, d.defaultMaxConcurrent ?? DEFAULT_MAX_CONCURRENT]),
  );
  for (const spec of scenario.agents) {
    const ids =
      spec.count === undefined ? [spec.id] : Array.from({ length: spec.count }, (_, i) => `${spec.id}-${i + 1}`);
    for (const id of ids) {
      await dir.deps.runtime.ask(dir.workspace, {
        type: 'createStaff',
        staff: {
          id,
          name: spec.name ?? id,
          email: `${id}@sim.invalid`,
          role: 'agent',
          departments: spec.departments,
          ...(spec.maxConcurrent !== undefined ? { maxConcurrent: spec.maxConcurrent } : {}),
          ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
          ...(spec.tier !== undefined ? { tier: spec.tier } : {}),
          ...(spec.skills !== undefined ? { skills: spec.skills } : {}),
          passwordHash: '',
        },
      });
      const max =
        spec.maxConcurrent ??
        Math.max(...spec.departments.map((d) => departmentDefaults.get(d) ?? DEFAULT_MAX_CONCURRENT));
      const a: SimAgent = {
        id,
        departments: spec.departments,
        max,
        assignments: 0,
        availableMs: 0,
        usedMs: 0,
        status: 'offline',
        active: 0,
        lastChange: start,
        leaving: false,
        onShift: false,
      };
      world.agents.set(id, a);
      const ref = dir.agent(id)!;
      for (const [from, to] of shiftIntervals(spec.shifts, start, horizon)) {
        clock.setTimer(from, () => {
          a.onShift = true;
          if (a.leaving) a.leaving = false;
          else runtime.tell(ref, { type: 'connected' });
          runtime.tell(ref, { type: 'setStatus', status: 'online', reply: noop });
        });
        if (to !== Infinity) {
          clock.setTimer(to, () => {
            a.onShift = false;
            a.leaving = true;
            runtime.tell(ref, { type: 'setStatus', status: 'busy', reply: noop });
          });
        }
      }
    }
  }
}
