/**
 * Customers actor: the one writer of customer records (CUST-1, CUST-3) —
 * profiles, the external-id index, visitor links and the remote-address
 * index. A visitor's hello passes through it to record where the visitor was
 * seen and, with a verified login, to link the visitor id to the customer of
 * that external id; staff edits of a profile land here too. Reads (the
 * customer view, a new conversation's VIP flag) go straight to the store.
 *
 * Writes are answered once committed. Until then the actor reads its own
 * writes in flight (`pending`), so two hellos of one new user from two tabs
 * make one customer, not two.
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../protocol/errors.js';
import { CustomerLimits } from '../protocol/limits.js';
import type { CustomerChanges, LoginField, VisitorDetails } from '../protocol/frames.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { Deps } from './deps.js';
import { recordKeyId, type RecordKey, type RecordWrite } from './journal.js';
import { isLoginSignature } from './login-signature.js';
import { anonymousCustomerId } from './customer-view.js';
import { Keys } from './keyspace.js';
import type { CustomerRecord, VisitorLinkRecord } from './customer-records.js';
import type { WorkspaceSettings } from './workspace/records.js';

/** A visitor seen again from the same address is re-stamped at most this often (one write per hour, not per page view). */
export const SEEN_REFRESH_MS = 3600 * 1000;
/** Visitor ids kept on a customer record, and anonymous customers it may absorb; the oldest go first. */
const MAX_VISITORS = 100;
const MAX_MERGED = 20;

export interface IdentifyResult {
  customerId: string;
  /** Present when the hello carried a login: true = verified and linked; false = unsigned and ignored (verification not required). */
  verified?: boolean;
}

export type CustomersMsg =
  /** A visitor said hello (from `ip`), perhaps with a login to verify. */
  | { type: 'identify'; visitorId: string; ip?: string; login?: LoginField; reply: Reply<IdentifyResult> }
  /** CUST-3: staff change the profile of the visitor's customer (access is checked by the conversation actor). */
  | { type: 'edit'; visitorId: string; changes: CustomerChanges; reply: Reply<CustomerRecord> }
  /** WEB-2: the visitor's own details (pre-chat or leave-a-message form), checked against the form by the caller. */
  | { type: 'details'; visitorId: string; details: VisitorDetails; reply: Reply<CustomerRecord> };

interface State {
  /** Writes issued and not yet committed, by key: what this actor reads before the store. */
  pending: Map<string, { value: unknown; write: Promise<void> }>;
  /** Settles once every answer issued so far has gone out. */
  answered: Promise<void>;
}

const unauthorized = (message: string, field: string): ProtocolError =>
  new ProtocolError('unauthorized', message, field);

/** What the actor needs: the store it writes, the clock and the log, and the workspace's settings as last published (CUST-1 verification). */
export interface CustomersPorts extends Pick<Deps, 'journal' | 'clock' | 'log'> {
  settings(): Readonly<WorkspaceSettings>;
}

export function customersBehavior(ports: CustomersPorts): Behavior<State, CustomersMsg> {
  const { journal, clock, log } = ports;

  const read = <V>(s: State, key: RecordKey): V | undefined => {
    const p = s.pending.get(recordKeyId(key));
    return p ? (p.value as V | undefined) : journal.getRecord<V>(key);
  };

  /**
   * Issues the writes and answers `result()` once they commit; this actor
   * reads them at once. Answers go out in the order of the messages, also
   * those with nothing to write: racing hellos on one connection are then
   * bound in the order the workspace answered them.
   */
  const write = <R>(s: State, writes: RecordWrite[], what: string, reply: Reply<R>, result: () => R): void => {
    const promise = writes.length ? journal.writeRecords(writes) : Promise.resolve();
    for (const w of writes) s.pending.set(recordKeyId(w.key), { value: w.value, write: promise });
    const stored = promise.then(
      () => true,
      (err: unknown) => {
        log.error({ err }, `${what} not stored`);
        return false;
      },
    );
    s.answered = Promise.all([s.answered, stored])
      .then(([, ok]) => {
        for (const w of writes) {
          const k = recordKeyId(w.key);
          if (s.pending.get(k)?.write === promise) s.pending.delete(k);
        }
        reply(ok ? result() : new ProtocolError('storage_failed', `${what} not stored; retry`));
      })
      .catch((err: unknown) => log.error({ err }, `answer after ${what} failed`)); // a throwing reply must not stop the answers behind it
  };

  /**
   * Links the visitor to the customer of a verified external id. A visitor
   * that was anonymous brings its own history (the anonymous customer is
   * absorbed); one that was another verified customer's is moved, leaving that
   * customer's history where it is.
   */
  const link = (
    s: State,
    visitorId: string,
    visitor: VisitorLinkRecord,
    login: LoginField,
    now: number,
    writes: RecordWrite[],
  ): CustomerRecord => {
    const existing = read<string>(s, Keys.customerByExternalId(login.externalId));
    const stored = existing === undefined ? undefined : read<CustomerRecord>(s, Keys.customer(existing));
    const customer: CustomerRecord = stored
      ? { ...stored, attributes: { ...stored.attributes }, visitorIds: [...stored.visitorIds] }
      : {
          id: `cu-${randomUUID()}`,
          externalId: login.externalId,
          attributes: {},
          vip: false,
          visitorIds: [],
          createdAt: now,
          updatedAt: now,
        };
    if (!stored) writes.push({ key: Keys.customerByExternalId(login.externalId), value: customer.id });
    let changed = !stored;
    if (visitor.customerId !== customer.id) {
      if (visitor.customerId !== undefined) {
        const previous = read<CustomerRecord>(s, Keys.customer(visitor.customerId));
        if (previous) {
          writes.push({
            key: Keys.customer(previous.id),
            value: { ...previous, visitorIds: previous.visitorIds.filter((v) => v !== visitorId), updatedAt: now },
          });
        }
      } else absorb(s, anonymousCustomerId(visitorId), customer, now, writes);
      customer.visitorIds = [...customer.visitorIds.filter((v) => v !== visitorId), visitorId].slice(-MAX_VISITORS);
      visitor.customerId = customer.id;
      changed = true;
    }
    // Only the external id is signed: unsigned details fill gaps, never overwrite what staff or an earlier login set.
    for (const k of ['name', 'email'] as const) {
      const given = login[k];
      if (given !== undefined && customer[k] === undefined) {
        customer[k] = given;
        changed = true;
      }
    }
    if (changed) {
      customer.updatedAt = now;
      writes.push({ key: Keys.customer(customer.id), value: customer });
    }
    return customer;
  };

  /** A visitor's anonymous customer, if it has a profile or conversations, becomes part of the verified one. */
  const absorb = (s: State, anonId: string, into: CustomerRecord, now: number, writes: RecordWrite[]): void => {
    const anon = read<CustomerRecord>(s, Keys.customer(anonId));
    const hasHistory = !journal.records(Keys.customerConversations(anonId))[Symbol.iterator]().next().done;
    if (!anon && !hasHistory) return;
    into.merged = [...(into.merged ?? []).filter((m) => m !== anonId), anonId].slice(-MAX_MERGED);
    if (!anon) return;
    for (const k of ['name', 'email', 'phone'] as const) {
      const value = anon[k];
      if (into[k] === undefined && value !== undefined) into[k] = value;
    }
    for (const [k, v] of Object.entries(anon.attributes)) {
      if (!(k in into.attributes) && Object.keys(into.attributes).length < CustomerLimits.maxAttributes)
        into.attributes[k] = v;
    }
    into.vip ||= anon.vip;
    writes.push({ key: Keys.customer(anonId), value: { ...anon, mergedInto: into.id, updatedAt: now } });
  };

  const identify = (s: State, msg: Extract<CustomersMsg, { type: 'identify' }>): void => {
    const now = clock.now();
    const before = read<VisitorLinkRecord>(s, Keys.visitorLink(msg.visitorId));
    const visitor: VisitorLinkRecord = { ...before, visitorId: msg.visitorId };
    const writes: RecordWrite[] = [];
    let verified: boolean | undefined;
    if (msg.login) {
      // Every check comes before the first change: a refused login changes nothing.
      const verification = ports.settings().verification;
      if (!verification)
        return msg.reply(unauthorized('this workspace accepts no logins (no verification secret is set)', 'login'));
      if (msg.login.signature === undefined) {
        if (verification.required) return msg.reply(unauthorized('a login needs a signature', 'login.signature'));
        verified = false;
      } else if (!isLoginSignature(verification.secret, msg.login.externalId, msg.login.signature)) {
        return msg.reply(unauthorized('bad login signature', 'login.signature'));
      } else {
        link(s, msg.visitorId, visitor, msg.login, now, writes);
        verified = true;
      }
    }
    if (
      msg.ip !== undefined &&
      (visitor.ip !== msg.ip || visitor.seenAt === undefined || now - visitor.seenAt >= SEEN_REFRESH_MS)
    ) {
      if (visitor.ip !== undefined && visitor.seenAt !== undefined)
        writes.push({ key: Keys.ipVisitor(visitor.ip, visitor.seenAt, msg.visitorId), value: undefined });
      writes.push({ key: Keys.ipVisitor(msg.ip, now, msg.visitorId), value: now });
      visitor.ip = msg.ip;
      visitor.seenAt = now;
    }
    if (visitor.customerId !== before?.customerId || visitor.seenAt !== before?.seenAt)
      writes.push({ key: Keys.visitorLink(msg.visitorId), value: visitor });
    const customerId = visitor.customerId ?? anonymousCustomerId(msg.visitorId);
    write(s, writes, 'visitor identity', msg.reply, () => ({
      customerId,
      ...(verified !== undefined ? { verified } : {}),
    }));
  };

  /** The visitor's customer record as it stands, or a new one, ready to change. */
  const profileOf = (s: State, visitorId: string, now: number): CustomerRecord => {
    const customerId =
      read<VisitorLinkRecord>(s, Keys.visitorLink(visitorId))?.customerId ?? anonymousCustomerId(visitorId);
    const stored = read<CustomerRecord>(s, Keys.customer(customerId));
    return stored
      ? { ...stored, attributes: { ...stored.attributes } }
      : { id: customerId, attributes: {}, vip: false, visitorIds: [visitorId], createdAt: now, updatedAt: now };
  };

  /** A visitor may correct what they said before, but a verified customer's name and email came from the company. */
  const details = (s: State, msg: Extract<CustomersMsg, { type: 'details' }>): void => {
    const now = clock.now();
    const next = profileOf(s, msg.visitorId, now);
    for (const k of ['name', 'email'] as const) {
      const given = msg.details[k];
      if (given !== undefined && (next.externalId === undefined || next[k] === undefined)) next[k] = given;
    }
    for (const [k, v] of Object.entries(msg.details.answers ?? {})) next.attributes[k] = v;
    if (Object.keys(next.attributes).length > CustomerLimits.maxAttributes)
      return msg.reply(new ProtocolError('limit_exceeded', 'too many customer attributes', 'details.answers'));
    next.updatedAt = now;
    write(s, [{ key: Keys.customer(next.id), value: next }], 'customer details', msg.reply, () => next);
  };

  const edit = (s: State, msg: Extract<CustomersMsg, { type: 'edit' }>): void => {
    const now = clock.now();
    const next = profileOf(s, msg.visitorId, now);
    const { attributes, vip, ...contact } = msg.changes;
    for (const [k, v] of Object.entries(contact) as [keyof typeof contact, string | null | undefined][]) {
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    if (vip !== undefined) next.vip = vip;
    for (const [k, v] of Object.entries(attributes ?? {})) {
      if (v === null) delete next.attributes[k];
      else next.attributes[k] = v;
    }
    if (Object.keys(next.attributes).length > CustomerLimits.maxAttributes) {
      return msg.reply(
        new ProtocolError(
          'limit_exceeded',
          `a customer has at most ${CustomerLimits.maxAttributes} attributes`,
          'changes.attributes',
        ),
      );
    }
    next.updatedAt = now;
    write(s, [{ key: Keys.customer(next.id), value: next }], 'customer profile', msg.reply, () => next);
  };

  return {
    init: () => ({ pending: new Map(), answered: Promise.resolve() }),
    receive(s, msg) {
      switch (msg.type) {
        case 'identify':
          return identify(s, msg);
        case 'edit':
          return edit(s, msg);
        case 'details':
          return details(s, msg);
      }
    },
  };
}

export type CustomersRef = Ref<CustomersMsg>;
