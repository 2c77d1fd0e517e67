// An HTTPS agent for the share listener's self-signed certificate: it accepts exactly the one
// whose SHA-256 fingerprint the server printed, as a participant checking it would.
import { Agent, type AgentOptions } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';

export class PinnedAgent extends Agent {
  constructor(private readonly fingerprint: string) {
    super({ keepAlive: false });
  }
  override createConnection(options: AgentOptions & { host?: string; port?: number }): Duplex {
    const socket: TLSSocket = tlsConnect({ ...options, rejectUnauthorized: false } as never);
    socket.once('secureConnect', () => {
      const served = socket.getPeerCertificate().fingerprint256;
      if (served !== this.fingerprint)
        socket.destroy(new Error(`certificate fingerprint ${served} is not the pinned ${this.fingerprint}`));
    });
    return socket;
  }
}
