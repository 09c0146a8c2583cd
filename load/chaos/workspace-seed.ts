/**
 * A test workspace (chaos harness, recovery benchmark), written into a fresh data directory by the
 * actors themselves (startServer in this process, then closed, as
 * load/harness/bench-seed.ts does): two departments with a small capacity so a queue
 * forms, agents in each who may transfer across departments, and an admin
 * who audits. Known sign-in tokens are returned.
 */
import { randomBytes } from 'node:crypto';
import type { StaffRecord, StaffRole } from '../../actors/agent/records.js';
import { startServer } from '../../src/app.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createLogger } from '../../src/logger.js';
import type { AgentAccount } from './chaos-agent.js';

export interface SeededWorkspace {
  departments: string[];
  agents: AgentAccount[];
  auditorToken: string;
}

export async function seedWorkspace(
  dataDir: string,
  opts: { agentsPerDepartment: readonly number[]; maxConcurrent: number },
): Promise<SeededWorkspace> {
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, demo: false, logger: createLogger('warn') });
  try {
    const { directory } = server;
    const { runtime } = directory.deps;
    const departments = opts.agentsPerDepartment.map((_, i) => `dept-${i + 1}`);
    for (const id of departments) {
      await runtime.ask(directory.workspace, {
        type: 'createDepartment',
        department: { id, name: id, defaultMaxConcurrent: opts.maxConcurrent },
      });
    }
    const passwordHash = await hashPassword(randomBytes(12).toString('base64url'));
    const create = async (id: string, role: StaffRole, staffDepartments: string[]): Promise<string> => {
      const staff: StaffRecord = {
        id,
        name: id,
        email: `${id}@load.switchboard.local`,
        role,
        departments: staffDepartments,
        crossDepartmentTransfer: true,
        passwordHash,
      };
      await runtime.ask(directory.workspace, { type: 'createStaff', staff });
      // A session of the default lifetime (12 h): longer than any chaos run.
      return (await runtime.ask(directory.sessions, { type: 'open', staffId: id })).token;
    };
    const agents: AgentAccount[] = [];
    for (const [i, department] of departments.entries()) {
      for (let n = 1; n <= opts.agentsPerDepartment[i]!; n++) {
        const id = `${department}-agent-${n}`;
        agents.push({ id, department, token: await create(id, 'agent', [department]) });
      }
    }
    const auditorToken = await create('auditor', 'admin', departments);
    return { departments, agents, auditorToken };
  } finally {
    await server.close();
  }
}
