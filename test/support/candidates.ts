/** Candidate factory for routing policy tests. */
import type { Candidate } from '../../actors/routing/decision.js';

export const agent = (id: string, order: number, over: Partial<Candidate> = {}): Candidate => ({
  agentId: id,
  name: id,
  status: 'online',
  active: 0,
  pending: 0,
  max: 2,
  onlineSince: order * 1000,
  onlineOrder: order,
  weight: 1,
  tier: 1,
  skills: [],
  lastAssignedAt: 0,
  assignedInWindow: 0,
  figures: {},
  ...over,
});
