// One redaction at the output boundary (src/io/redact.ts, applied in src/cli/run.ts): URL userinfo
// and query secrets never reach stdout or stderr, in text or --json, whichever command or library
// error carried them; userinfo in a template URL is refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { redactSecrets, userinfoProblem } from "../src/io/redact.js";
import { azpolAsync } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "azpol-redact-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const SECRETS = ["PW", "SECRET", "hunter2", "abcDEF123", "eyJhbGciOiJIUzI1NiJ9"];
const leaks = (text: string) => SECRETS.filter((s) => new RegExp(`(^|[^A-Za-z])${s}`).test(text));

describe("redactSecrets", () => {
  it.each([
    "https://admin:PW@host/t.yaml?sv=1&sig=SECRET",
    "fetch failed: https://admin:hunter2@host:8443/t.yaml (ECONNREFUSED)",
    JSON.stringify({ url: "https://a:PW@h/t?sv=2024-01-01&se=2027&sig=abcDEF123%2B%3D&x=1" }),
    "https://user:hunt/er2@host/x",
    "https://h/t.yaml?access_token=SECRET&X-Amz-Signature=SECRET",
    "https://h/t.yaml?q=eyJhbGciOiJIUzI1NiJ9abcdef0123",
    "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRET+/==;EndpointSuffix=core.windows.net",
    "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=SECRET",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload",
  ])("hides the secret in %s", (text) => {
    const out = redactSecrets(text);
    expect(leaks(out)).toEqual([]);
    expect(out).toContain("***");
  });
  it("keeps what is no secret: hosts, paths, ports, images, JSON shape", () => {
    for (const text of ["https://ghcr.io:443/a@b", "k8s.gcr.io/pause:3.9@sha256:" + "0".repeat(64), "--scope mg:prod", "https://h/t.yaml?version=2&name=x"]) expect(redactSecrets(text)).toBe(text);
    const doc = JSON.stringify({ url: "https://u:PW@h/t?sig=SECRET", n: 1 }, null, 2);
    expect(JSON.parse(redactSecrets(doc))).toEqual({ url: "https://***@h/t?sig=***", n: 1 });
  });
  it("hides a token endpoint's JSON answer (ACR's /oauth2/exchange and /oauth2/token) but keeps other members", () => {
    const body = JSON.stringify({ refresh_token: "eyJhbGciOi.J9x-SECRET1", access_token: "eyJ0eXAi\\\"q-SECRET2", scope: "repository:a:pull" });
    expect(redactSecrets(body)).toBe('{"refresh_token":"***","access_token":"***","scope":"repository:a:pull"}');
    expect(redactSecrets('"password" : "SECRET3"')).toBe('"password" : "***"');
    expect(redactSecrets('{"code":"AZP3016","key":"registries"}')).toBe('{"code":"AZP3016","key":"registries"}');
    expect(redactSecrets('{"name":"token","image":"k8s.gcr.io/pause:3.9"}')).toBe('{"name":"token","image":"k8s.gcr.io/pause:3.9"}');
  });

  it("finds userinfo in URLs and in strings that only look like one", () => {
    expect(userinfoProblem("https://a:b@h/x")).toBeDefined();
    expect(userinfoProblem("https://a@h/x")).toBeDefined();
    expect(userinfoProblem("https://h/x@y")).toBeUndefined();
  });
});

describe("the CLI prints no URL secret", () => {
  const project = join(work, "p");
  mkdirSync(project);
  it.each([[[]], [["--json"]]])("new --from-template with userinfo and a SAS: refused, exit 2, nothing leaked (%j)", async (extra) => {
    const run = await azpolAsync(["new", "--from-template", "https://admin:PW@127.0.0.1:9/t.yaml?sv=1&sig=SECRET", ...extra], { cwd: project });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/user name or password/);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    if (extra.length) expect(JSON.parse(run.stdout)).toHaveProperty("error");
  });
  it("a fetch error that embeds the raw URL (SAS, no userinfo) is redacted on stdout (--json) and stderr", async () => {
    const run = await azpolAsync(["new", "--from-template", "https://127.0.0.1:9/t.yaml?sv=1&sig=SECRET&token=hunter2", "--json"], { cwd: project });
    expect(run.status).toBe(2);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(JSON.parse(run.stdout)).toHaveProperty("error.message", expect.stringContaining("sig=***"));
  });
  it("validate --online with a template.url holding userinfo and a SAS: the error names the problem, never the secret", async () => {
    const dir = join(work, "online");
    mkdirSync(dir);
    const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir });
    expect(made.status, made.stderr).toBe(0);
    const file = join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    const text = readFileSync(file, "utf8").replace("source: Base64Encoded", "source: PublicURL\n  url: https://admin:PW@127.0.0.1:9/t.yaml?sv=1&sig=SECRET");
    writeFileSync(file, text);
    for (const args of [["validate", "--online"], ["validate", "--online", "--json"]]) {
      const run = await azpolAsync(args, { cwd: dir });
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/user name or password/);
      expect(leaks(run.stdout + run.stderr)).toEqual([]);
    }
  });
});
