// The one network policy (src/net/network-policy.ts): Retry-After read as delay-seconds or an
// HTTP-date (RFC 9110 §10.2.3) and capped by the request timeout and the deadline, with the cap
// said; and https checked at every redirect hop before the hop is requested (the CLI, fetching a
// template through an https → http → https chain, must not send the plaintext request).
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWait, insecureHop, networkPolicy, parseRetryAfter, retryWait } from "../src/net/network-policy.js";
import { makeCertificate } from "./fake-arm/certificate.js";
import { azpolAsync } from "./support/cli.js";

describe("Retry-After", () => {
  const now = Date.UTC(2026, 11, 6, 12, 0, 0);
  it("reads delay-seconds, an IMF-fixdate, the obsolete date forms and the -ms headers", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Sun, 06 Dec 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Sunday, 06-Dec-26 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Sun Dec  6 12:01:00 2026", now)).toBeGreaterThanOrEqual(0);
    expect(parseRetryAfter("Sun, 06 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("250", now, "ms")).toBe(250);
    for (const bad of ["", "soon", "-5", "1e9", null, undefined]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
  it("is capped by the request timeout and by what is left of the deadline, and says which", () => {
    let clock = now;
    const policy = networkPolicy({ requestTimeoutMs: 60_000, deadlineMs: 30_000, now: () => clock });
    expect(retryWait(policy, 100_000_000)).toMatchObject({ ms: 30_000, cappedBy: "what is left of --deadline 30 s" });
    clock += 25_000;
    expect(retryWait(policy, 2_000)).toMatchObject({ ms: 2_000, cappedBy: undefined });
    expect(retryWait(policy, 10_000).ms).toBe(5_000);
    const open = networkPolicy({ requestTimeoutMs: 60_000, now: () => clock });
    expect(describeWait(retryWait(open, 100_000_000))).toBe("the server asked to wait 27.8 h (Retry-After); waiting 60 s, capped by the request timeout (60 s)");
  });
});

describe("https at every hop", () => {
  it("refuses http, userinfo and junk before sending", () => {
    expect(insecureHop("http://h/x")).toMatch(/not an https URL/);
    expect(insecureHop("http://h/x", "https://a/b")).toMatch(/redirected to a http URL.*sent nothing/);
    expect(insecureHop("https://u:p@h/x", "https://a/b")).toMatch(/user name or password/);
    expect(insecureHop("/relative", "https://a/b")).toBeUndefined();
  });

  const dir = mkdtempSync(join(tmpdir(), "azpol-hops-"));
  const { cert, key } = makeCertificate();
  let tls: Server;
  let plain: HttpServer;
  let plainHits = 0;
  let base = "";
  beforeAll(async () => {
    plain = createHttpServer((_req, res) => {
      plainHits++;
      res.writeHead(302, { location: `${base}/t.yaml` }).end();
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/hop`;
    tls = createServer({ cert, key }, (req, res) => {
      if (req.url === "/start") res.writeHead(301, { location: plainUrl }).end();
      else if (req.url === "/relative") res.writeHead(302, { location: "/t.yaml" }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    base = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    writeFileSync(join(dir, "ca.pem"), cert);
  });
  afterAll(() => {
    tls.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an https → http → https chain is refused at the http hop, which is never requested", async () => {
    const run = await azpolAsync(["new", "--from-template", `${base}/start`, "--json"], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/redirected to a http URL; azpol follows only https redirects, and sent nothing there/);
    expect(plainHits).toBe(0);
  });
  it("a relative https redirect is followed", async () => {
    const run = await azpolAsync(["new", "--from-template", `${base}/relative`], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") } });
    expect(run.stderr).toMatch(/answered HTTP 404/);
  });
});
