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

  // S3: WHATWG URL ends userinfo at the LAST '@' before the path ("authority state"); Node agrees
  it.each([
    ["https://alice:S3cr@tPass@example.invalid/t.yaml", "https://***@example.invalid/t.yaml"],
    ['got "http://admin:Pa@ssw0rd@127.0.0.1:1"', 'got "http://***@127.0.0.1:1"'],
    ["cannot list namespaces in https://admin:KubePa@ss@127.0.0.1:1/", "cannot list namespaces in https://***@127.0.0.1:1/"],
    ["https://u:p@ss@w@rd@host?x=1", "https://***@host?x=1"],
    ["https://alice:S3cr%40tPass@host/x", "https://***@host/x"],
    ["https://u:pa/ss@wo@host/x", "https://***@host/x"],
    ['{"url":"https://a:p\\"q@host/x","b":"c@d"}', '{"url":"https://***@host/x","b":"c@d"}'],
    ["https:\\/\\/u:PW@host\\/x", "https:\\/\\/***@host\\/x"],
    ["next=https%3A%2F%2Falice%3AS3cr%40t%40Pass%40host%2Fx", "next=https%3A%2F%2F***%40host%2Fx"],
  ])("hides all of a password that holds '@' (or is encoded): %s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
    const url = /https?:\/\/[^"\s]+/.exec(text)?.[0];
    // where it is a URL, what Node's WHATWG parser calls the host is what stays
    if (url && URL.canParse(url)) expect(redactSecrets(url)).toContain(`***@${new URL(url).host}`);
  });
  it("keeps the host and path of a URL whose path holds '@', and JSON members around a URL", () => {
    for (const text of ["https://u:p@host/a@b", "https://u:pa/ss@host/a@b"]) expect(redactSecrets(text)).toBe("https://***@host/a@b");
    for (const text of ['["https://host","a@b"]', "see https://host and mail x@y", JSON.stringify({ c: "https://h", d: "e@f" }, null, 2)]) expect(redactSecrets(text)).toBe(text);
  });
  // S4: text escaped for XML/HTML, percent-encoded or JSON-escaped before azpol saw it
  it.each([
    "https://127.0.0.1:1/t.yaml?sv=2020-01-01&amp;sig=SECRET",
    "https://a/t?sv=1&#38;sig=SECRET",
    "https://a/t?sv=1&#x26;sig=SECRET",
    "https://a/t?sv=1%26sig%3DSECRET",
    "https%3A%2F%2Fa%2Ft%3Fsv%3D1%26sig%3DSECRET",
    "https://a/t?sv=1\\u0026sig=SECRET",
    "https://a/t?sv=1\\u0026sig\\u003dSECRET",
    '{\\"password\\": \\"SECRET\\", \\"x\\": 1}',
    '&quot;password&quot;: &quot;SECRET&quot;',
  ])("hides a secret in its escaped form: %s", (text) => {
    const out = redactSecrets(text);
    expect(leaks(out)).toEqual([]);
    expect(out).toContain("***");
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
  // audit S3: a password holding '@', in each place the audit found it printed
  const AT = ["tPass", "ssw0rd", "KubePa", "@ss@"];
  const atLeaks = (text: string) => AT.filter((s) => text.includes(s));
  it.each([[[]], [["--json"]]])("a password holding '@' is hidden whole: --from-template, AZPOL_ARM_ENDPOINT, a kubeconfig server (%j)", async (extra) => {
    const template = await azpolAsync(["new", "--from-template", "https://alice:S3cr@tPass@example.invalid/t.yaml", ...extra], { cwd: project });
    expect(template.status).toBe(2);
    expect(template.stdout + template.stderr).toContain("https://***@example.invalid/t.yaml");
    const arm = await azpolAsync(["status", "-s", "mg:x", ...extra], { cwd: project, env: { AZPOL_ARM_ENDPOINT: "http://admin:Pa@ssw0rd@127.0.0.1:9", AZURE_SUBSCRIPTION_ID: "33333333-3333-3333-3333-333333333333" } });
    expect(arm.status).toBe(2);
    expect(arm.stdout + arm.stderr).toContain("http://***@127.0.0.1:9");
    const cluster = join(work, `kube${extra.length}`);
    mkdirSync(cluster);
    expect((await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: cluster })).status).toBe(0);
    writeFileSync(join(cluster, "kc.yaml"), 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://admin:KubePa@ss@127.0.0.1:9/"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
    const kube = await azpolAsync(["impact", "--kubeconfig", "kc.yaml", "--request-timeout", "5", ...extra], { cwd: cluster });
    expect(kube.status).toBeGreaterThan(0);
    expect(kube.stdout + kube.stderr).toContain("https://***@127.0.0.1:9");
    for (const run of [template, arm, kube]) {
      expect(atLeaks(run.stdout + run.stderr)).toEqual([]);
      if (extra.length) expect(JSON.parse(run.stdout)).toHaveProperty("error");
    }
  });
  // audit S4: a URL pasted from HTML (&amp;) and a SAS in a template's message under --format junit
  it.each([[[]], [["--json"]]])("a SAS in a URL with &amp; separators is hidden (%j)", async (extra) => {
    const run = await azpolAsync(["new", "--from-template", "https://127.0.0.1:9/t.yaml?sv=2020-01-01&amp;sig=SECRET", ...extra], { cwd: project });
    expect(run.status).toBe(2);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout + run.stderr).toContain("sig=***");
  });
  it("test --format junit (and text, --json, sarif): a SAS in a violation message is redacted before XML escaping", async () => {
    const dir = join(work, "junit");
    mkdirSync(dir);
    const msg = "fetch https://acct.blob.core.windows.net/c/t.yaml?sv=2022-11-02&sig=SECRET&se=2030 failed";
    writeFileSync(join(dir, "tpl.yaml"), `apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: k8ssas}\nspec:\n  crd: {spec: {names: {kind: K8sSas}}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package k8ssas\n        violation[{"msg": ${JSON.stringify(msg)}}] { true }\n`);
    const made = await azpolAsync(["new", "--from-template", "tpl.yaml"], { cwd: dir });
    expect(made.status, made.stderr).toBe(0);
    writeFileSync(join(dir, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec: {containers: [{name: c, image: a.io/b:1}]}\n");
    for (const format of ["junit", "text", "json", "sarif"]) {
      const run = await azpolAsync(["test", "pod.yaml", "--format", format], { cwd: dir });
      expect(run.status, run.stderr).toBe(1);
      expect(leaks(run.stdout + run.stderr)).toEqual([]);
      expect(run.stdout).not.toContain("2030");
      expect(run.stdout).toMatch(/sig=\*\*\*/);
    }
  });
  // audit L6: the wrong file passed as a plan is not quoted back
  it.each([[[]], [["--json"]]])("deploy --plan on a file that is not JSON names where, never what it holds (%j)", async (extra) => {
    writeFileSync(join(project, "key.txt"), "hunter2Zx8Q~SuperSecretValue\n");
    const run = await azpolAsync(["deploy", "--plan", "key.txt", ...extra], { cwd: project });
    expect(run.status).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/--plan "key.txt" is not valid JSON/);
    expect(run.stdout + run.stderr).not.toMatch(/hunter2|Zx8Q|Super/);
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
