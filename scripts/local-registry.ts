// A minimal npm registry on 127.0.0.1 that serves only the tarballs it is given (the packument and
// tarball routes of the npm registry API: GET /<name> with versions.<v>.dist.{tarball, integrity,
// shasum}, and GET of the tarball; https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md).
// scripts/install-check.ts installs azpol from it exactly as a user would from npmjs.com: npm reads
// azpol's optionalDependencies and installs only the engine package whose os/cpu fit.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";

/** package.json from an npm tarball (ustar: 512-byte headers, name at 0, size in octal at 124). */
function manifestOf(tgz: Buffer): Record<string, unknown> {
  const tar = gunzipSync(tgz);
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = tar.subarray(at, at + 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(tar.subarray(at + 124, at + 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    if (name === "package/package.json") return JSON.parse(tar.subarray(at + 512, at + 512 + size).toString("utf8")) as Record<string, unknown>;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error("no package/package.json in the tarball");
}

export interface LocalRegistry {
  url: string;
  /** every path npm asked for */
  requests: string[];
  close(): Promise<void>;
}

export async function startLocalRegistry(tarballs: string[]): Promise<LocalRegistry> {
  const packuments = new Map<string, Record<string, unknown>>();
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(path);
    const file = files.get(path);
    const body = file ?? (packuments.has(path.slice(1)) ? Buffer.from(JSON.stringify(packuments.get(path.slice(1)))) : undefined);
    if (!body) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { "content-type": file ? "application/octet-stream" : "application/json", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const tarball of tarballs) {
    const bytes = readFileSync(tarball);
    const manifest = manifestOf(bytes);
    const name = String(manifest.name);
    const version = String(manifest.version);
    const route = `/-/${basename(tarball)}`;
    files.set(route, bytes);
    const dist = { tarball: `${url}${route}`, shasum: createHash("sha1").update(bytes).digest("hex"), integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}` };
    packuments.set(name, { name, "dist-tags": { latest: version }, versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist } } });
  }
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
