/**
 * The protocol's closed vocabularies, each ONE `as const` list. The TypeBox
 * unions of the frames and of the admin API, the permission table, the
 * OpenAPI document and the generated docs are all derived from these lists;
 * actors import them from here too. Clients switch on these strings, so a
 * value, once published, keeps its meaning.
 */
import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';

/** ROLE-1…3: the staff roles, from least to most rights. */
export const StaffRoles = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof StaffRoles)[number];

/** Who wrote a message or did something in a conversation, as others see it. */
export const ParticipantRoles = ['visitor', 'agent', 'system'] as const;
export type ParticipantRole = (typeof ParticipantRoles)[number];

/** ROUTE-1…4: the routing policies a department chooses from. */
export const RoutingPolicies = ['round_robin', 'least_load', 'weighted_round_robin', 'smart'] as const;
export type PolicyName = (typeof RoutingPolicies)[number];

/** ROUTE-17: how a department hands a conversation to the chosen agent. */
export const OfferModes = ['auto', 'offer'] as const;
export type OfferMode = (typeof OfferModes)[number];

/** ROUTE-5: agent tiers, 1 first line, 2 specialist, 3 senior. */
export const Tiers = [1, 2, 3] as const;
export type Tier = (typeof Tiers)[number];

/** An agent's status as they set it (and the server, on missed offers or a lost connection). */
export const AgentStatuses = ['online', 'busy', 'away', 'offline'] as const;

/** Where a conversation stands. */
export const ConversationStatuses = ['new', 'queued', 'assigned', 'resolved'] as const;
export type ConversationStatus = (typeof ConversationStatuses)[number];

/** CONV-4: the languages of the automatic messages. */
export const Languages = ['zh-CN', 'en'] as const;

/** CONV-3: who shares a canned reply. */
export const CannedScopes = ['workspace', 'personal'] as const;
export type CannedScope = (typeof CannedScopes)[number];

/** CONV-4: the automatic messages, by key. */
export const AutoMessageKeys = [
  'welcome',
  'queued',
  'transferring',
  'agent_joined',
  'offline',
  'resolved',
  'survey',
] as const;

/** QUEUE-4, QUEUE-6: why a customer waits as a left message rather than in line. */
export const BacklogReasons = ['queue_full', 'no_agents_online', 'closed'] as const;
export type BacklogReason = (typeof BacklogReasons)[number];

/** ROUTE-16: why a candidate agent was passed over, first reason that applies (actors/routing/eligibility.ts). */
export const SkipReasons = ['not_online', 'already_tried', 'missing_skills', 'tier', 'fairness_cap', 'full'] as const;
export type SkipReason = (typeof SkipReasons)[number];

/** Why a conversation was resolved without staff (absent when staff resolved it). */
export const ResolveReasons = ['left', 'abandoned', 'inactive'] as const;

/** ROUTE-13, ROUTE-14: why an agent no longer serves a conversation. */
export const UnassignReasons = ['response_timeout', 'agent_offline'] as const;

/** What a `notice` tells a staff member happened to them. */
export const NoticeCodes = [
  'response_timeout',
  'offer_expired',
  'taken_over',
  'reassigned',
  'loan_started',
  'loan_ended',
] as const;

/** QUEUE-6: the days of business hours. */
export const Weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof Weekdays)[number];

/** ROLE-5: how an audited attempt ended. */
export const AuditOutcomes = ['ok', 'refused'] as const;
export type AuditOutcome = (typeof AuditOutcomes)[number];

/** The TypeBox union of a vocabulary's values: the one way frames and API schemas spell a closed set. */
export function literals<const T extends readonly (string | number)[]>(
  values: T,
  options?: SchemaOptions,
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}
