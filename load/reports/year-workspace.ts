/**
 * MON-2 benchmark: the workspace a year of reports is built for: five
 * departments of different sizes and 150 agents on shifts (a shift is the
 * hours of the UTC day an agent works, five days of seven), about one in ten
 * in two departments. The traffic generator (year-traffic.ts) only assigns a
 * conversation to an agent of its department who is on shift then, so an
 * hour's rollups hold the agents of that hour, as a real day's do.
 */

export interface YearDepartment {
  id: string;
  name: string;
  /** Share of the conversations created in it. */
  share: number;
}

export interface YearAgent {
  id: string;
  name: string;
  departments: string[];
  /** First UTC hour of the 8-hour shift. */
  shiftStart: number;
  /** Day of the week (0 = Sunday) of the first of two days off. */
  offDay: number;
}

export const YEAR_DEPARTMENTS: readonly YearDepartment[] = [
  { id: 'pre-sales', name: 'Pre-sales', share: 0.3 },
  { id: 'after-sales', name: 'After-sales', share: 0.28 },
  { id: 'technical', name: 'Technical support', share: 0.2 },
  { id: 'billing', name: 'Billing', share: 0.15 },
  { id: 'shipping', name: 'Shipping', share: 0.07 },
];

export const YEAR_AGENT_COUNT = 150;
const SHIFT_STARTS = [0, 6, 8, 8, 10, 12, 14, 16];

/** The agents, the same for every seed (the seed varies the traffic only). */
export function yearAgents(): YearAgent[] {
  const agents: YearAgent[] = [];
  const weights = YEAR_DEPARTMENTS.map((d) => d.share);
  for (let i = 0; i < YEAR_AGENT_COUNT; i++) {
    // Departments get agents in proportion to their traffic: agent i's share point picks it.
    const point = (i + 0.5) / YEAR_AGENT_COUNT;
    let acc = 0;
    let home = YEAR_DEPARTMENTS.length - 1;
    for (let d = 0; d < weights.length; d++) {
      acc += weights[d] ?? 0;
      if (point < acc) {
        home = d;
        break;
      }
    }
    const departments = [YEAR_DEPARTMENTS[home]!.id];
    if (i % 10 === 3) departments.push(YEAR_DEPARTMENTS[(home + 1) % YEAR_DEPARTMENTS.length]!.id);
    const n = String(i + 1).padStart(3, '0');
    agents.push({
      id: `agent-${n}`,
      name: `Agent ${n}`,
      departments,
      shiftStart: SHIFT_STARTS[i % SHIFT_STARTS.length]!,
      offDay: (i * 3) % 7,
    });
  }
  return agents;
}

/** Whether the agent works at hour `hourOfDay` of a day that is weekday `weekday`. */
export function onShift(a: YearAgent, weekday: number, hourOfDay: number): boolean {
  if (weekday === a.offDay || weekday === (a.offDay + 1) % 7) return false;
  const h = (hourOfDay - a.shiftStart + 24) % 24;
  return h < 8;
}
