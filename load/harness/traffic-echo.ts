/**
 * The baseline: each socket to the bare echo server keeps `window` `send`
 * frames in flight (the very frame a visitor sends in the relay), and a
 * frame is done when its echo comes back. Counted: `echoed`; timed: `echo`.
 */
import type { ProtocolSocket } from '../client/protocol-socket.js';
import type { TrafficDriver } from './traffic-driver.js';
import { sentAtOf, timedId, type TrafficRecorder } from './traffic-recorder.js';
import { epochNow } from './worker-protocol.js';
import { CHAT_TEXT } from './chat-text.js';

export class EchoTraffic implements TrafficDriver {
  private running = false;
  private inFlight = 0;
  private n = 0;

  constructor(
    private readonly sockets: readonly ProtocolSocket[],
    private readonly window: number,
    private readonly rec: TrafficRecorder,
    private readonly prefix: string,
  ) {
    for (const [i, s] of sockets.entries()) {
      s.onFrame = (f) => {
        const sentAt = sentAtOf(f.clientMsgId, this.prefix);
        if (sentAt === undefined) return;
        const now = epochNow();
        this.inFlight--;
        this.rec.latency('echo', sentAt, now);
        this.rec.count('echoed', now);
        if (this.running) this.send(s, i);
      };
    }
  }

  start(): void {
    this.running = true;
    for (const [i, s] of this.sockets.entries()) for (let k = 0; k < this.window; k++) this.send(s, i);
  }

  stop(): void {
    this.running = false;
  }

  settled(): boolean {
    return this.inFlight === 0;
  }

  finish(): void {
    if (this.inFlight > 0) this.rec.error('lost', this.inFlight);
  }

  private send(s: ProtocolSocket, lane: number): void {
    if (s.closed) return;
    const key = timedId(this.prefix, ++this.n);
    this.inFlight++;
    this.rec.total('sent');
    s.send({ type: 'send', id: key, conversationId: echoConversationId(lane), clientMsgId: key, text: CHAT_TEXT });
  }
}

/** Same length as a real conversation id (`c-` + a UUID), so echo frames are the size of relay frames. */
const echoConversationId = (lane: number): string => `c-00000000-0000-4000-8000-${String(lane).padStart(12, '0')}`;
