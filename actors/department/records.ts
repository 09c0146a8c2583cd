/** The department's stored configuration (ROUTE-*, QUEUE-4/6), kept at Keys.department(id). */
import type { OfferMode } from '../../protocol/vocabulary.js';
import type { PolicyName } from '../routing/decision.js';
import type { LoadIndexWeights } from '../routing/load-index.js';
import type { BusinessHours } from '../routing/business-hours.js';
import type { WideningSteps } from '../routing/widening.js';

export interface DepartmentRecord {
  id: string;
  name: string;
  /** Default maximum concurrent conversations per agent (ROUTE-11). */
  defaultMaxConcurrent: number;
  /** Creation order; the first department is where `start` without a department goes. */
  order: number;
  /** Assignment policy; round robin when absent. */
  policy?: PolicyName;
  /** ROUTE-13: seconds the assigned agent has for a first reply before the conversation goes to the next agent; off when absent. */
  responseTimeoutSec?: number;
  /** ROUTE-13: set the agent `away` when that happens. */
  awayAfterResponseTimeout?: boolean;
  /** ROUTE-9: a returning customer goes to the agent who served them last, if eligible with a free slot. */
  sticky?: boolean;
  /** ROUTE-9: seconds to wait for that agent (while they are not offline) before normal routing; 0 = do not wait. */
  stickyWaitSec?: number;
  /** ROUTE-17: `auto` (default) assigns at once; `offer` makes the agent accept within offerTimeoutSec. */
  offerMode?: OfferMode;
  offerTimeoutSec?: number;
  /** ROUTE-17: unanswered offers in a row after which the agent is set `away`. */
  offerMissesBeforeAway?: number;
  /** ROUTE-18 widening steps, in seconds of waiting; ROUTE-15 overflow is the last. */
  widening?: WideningSteps;
  /** ROUTE-19: at most `max` assignments per agent per window of `windowSec`. */
  fairnessCap?: { max: number; windowSec: number };
  /** ROUTE-10: weights of the load index for the `smart` policy (defaults in routing/load-index.ts). */
  loadIndexWeights?: Partial<LoadIndexWeights>;
  /** QUEUE-4: waiting customers beyond this many are offered to leave a message instead. */
  maxQueueLength?: number;
  /** QUEUE-6: outside these hours customers are told so and may leave a message. */
  hours?: BusinessHours;
  /** The department this one sits under, for the console's tree; routing does not follow it. */
  parent?: string;
}
