// A TCP proxy for tests that take a server or a network link away and give it back.
import net from 'node:net';
import { freePort } from './ports';

/**
 * A TCP proxy in front of a server: `down()` cuts every connection and refuses new ones,
 * as a server that died or a cut network link would; `up()` brings it back on the same port.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** A proxy to `target` on `port` (one of `freePorts`, when the caller picks its ports together), else on a free port. */
  static async start(target: { host: string; port: number }, port?: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(port ?? (await freePort()), target);
    await proxy.up();
    return proxy;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  close = () => this.down();
}
