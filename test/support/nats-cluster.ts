/** The tests' nats-servers: the load harness's starter (load/harness/nats-servers.ts), shared. */
export * from '../../load/harness/nats-servers.js';
