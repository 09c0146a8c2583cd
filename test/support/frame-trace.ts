/** The frames a test client receives, each with its type and its size on the wire. */
import type { ProtocolSocket } from '../../load/client/protocol-socket.js';
import { packr } from '../../load/client/protocol-socket.js';

export interface TracedFrame {
  type: string;
  /** The conversation event's type for an `event`-like frame, the auto message's key for a `message`. */
  detail?: string;
  bytes: number;
}

/** Starts recording what `client` receives from now on; the returned list fills as frames arrive. */
export function traceFrames(client: ProtocolSocket): TracedFrame[] {
  const frames: TracedFrame[] = [];
  client.ws.on('message', (data: Buffer, isBinary: boolean) => {
    const f = (isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'))) as Record<string, unknown>;
    frames.push({
      type: String(f.type),
      ...(typeof f.auto === 'string' ? { detail: f.auto } : {}),
      bytes: data.byteLength,
    });
  });
  return frames;
}
