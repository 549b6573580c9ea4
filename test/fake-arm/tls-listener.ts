// Starting and stopping an HTTPS fake on 127.0.0.1, shared by the fake ARM and the fake ACR so
// both listen, report their URL and close their connections the same way.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on an ephemeral port of 127.0.0.1; resolves with the server and its https URL. */
export async function listenTls(cert: string, key: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert, key }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes open connections too, so a test never waits on a client's keep-alive. */
export async function closeTls(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
