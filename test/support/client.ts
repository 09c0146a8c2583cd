/**
 * The tests' protocol client: the shared ProtocolSocket (load/client/), speaking JSON unless told `binary`,
 * with the helpers only tests use.
 */
import { ProtocolSocket, type SocketOptions } from '../../load/client/protocol-socket.js';

export type { Command, Frame } from '../../load/client/protocol-socket.js';
export { ConnectionLost } from '../../load/client/protocol-socket.js';

export type ClientOptions = Pick<SocketOptions, 'binary' | 'headers' | 'ca'>;

export class TestClient extends ProtocolSocket {
  static override connect(url: string, opts: ClientOptions = {}): Promise<TestClient> {
    const client = new TestClient(ProtocolSocket.webSocket(url, opts), opts);
    return client.opened(url).then(() => client);
  }

  /** Events of one conversation that carry a seq, in arrival order. */
  conversationEvents(conversationId: string) {
    return this.events.filter((e) => e.conversationId === conversationId && typeof e.seq === 'number');
  }
}
