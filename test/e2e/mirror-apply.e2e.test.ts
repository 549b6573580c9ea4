// azpol mirror --apply end to end: the built CLI, its real DefaultAzureCredential (narrowed to the
// Azure CLI credential, with a fake `az` on PATH) and the real @azure/arm-containerregistry client
// against the HTTPS fake ACR management API on 127.0.0.1 (test/fake-acr/SPEC.md): plan, apply
// (cache rules and importImage as long-running operations), a second run plans nothing new,
// throttling is retried, and an ARM error body is a clean error.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeAcr } from "../fake-acr/server.js";
import { azpolAsync, type CliRun } from "../support/cli.js";

const SUB = "00000000-0000-0000-0000-0000000000aa";
const TOKEN = "fake-cli-token-SECRET-456";
const digest = `sha256:${"cd".repeat(32)}`;
const work = mkdtempSync(join(tmpdir(), "azpol-mirror-apply-"));
const project = join(work, "project");
const bin = join(work, "bin");
const acr = new FakeAcr({ subscription: SUB, resourceGroup: "rg-acr", name: "myacr", location: "westeurope" }, [`quay.io/brancz/kube-rbac-proxy@${digest}`, "ghcr.io/example/tool:1.0", "registry.gitlab.com/acme/tool:2.1"]);

beforeAll(async () => {
  await acr.start();
  mkdirSync(bin);
  writeFileSync(join(bin, "az"), `#!/bin/sh\nprintf '{"accessToken":"${TOKEN}","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${SUB}","tenant":"t","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(bin, "az"), 0o755);
  writeFileSync(join(work, "ca.pem"), acr.cert);
  mkdirSync(join(project, "k8s"), { recursive: true });
  writeFileSync(
    join(project, "k8s", "app.yaml"),
    `apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: shop}\nspec:\n  containers:\n  - {name: a, image: k8s.gcr.io/pause:3.9}\n  - {name: b, image: prometheus:2.6.1}\n  - {name: c, image: "quay.io/brancz/kube-rbac-proxy@${digest}"}\n  - {name: d, image: ghcr.io/example/tool:1.0}\n  - {name: e, image: registry.gitlab.com/acme/tool:2.1}\n`,
  );
  for (const args of [["new", "--preset", "k8s-gcr-deprecation"], ["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"]]) {
    const made = await azpolAsync(args, { cwd: project });
    if (made.status !== 0) throw new Error(made.stderr);
  }
});
afterAll(async () => {
  await acr.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => acr.reset());

function env(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_") && !k.startsWith("AZPOL_")));
  return { ...clean, PATH: `${bin}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: acr.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5", AZPOL_ACR_CONTENT_ENDPOINT: acr.endpoint, NODE_EXTRA_CA_CERTS: join(work, "ca.pem") };
}

async function mirror(args: string[]): Promise<CliRun> {
  const run = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--apply", ...args], { cwd: project, env: env() });
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  return run;
}

interface Applied {
  cacheRules: { name: string; sourceRepository: string }[];
  imports: { source: string; target: string }[];
  upToDate: string[];
  registryId: string;
  applied: { kind: string; name: string; result: string }[];
}

describe("mirror --apply", () => {
  it("plans, applies through the long-running operations, and a second run plans nothing (cache rules through ARM, imports through the registry's data plane)", async () => {
    const preview = await mirror([]);
    expect(preview.status, preview.stderr).toBe(4); // not confirmed: nothing written
    expect(preview.stdout).toContain("cache rule azpol-registry-k8s-io: registry.k8s.io/* → myacr.azurecr.io/registry.k8s.io/*");
    expect(acr.writes()).toEqual([]);

    // the registry has a credential set for Docker Hub: the docker.io rule pulls with it
    acr.credentialSets.set("dockerhub", { name: "dockerhub", loginServer: "docker.io" });
    const first = await mirror(["--yes", "--json"]);
    expect(first.status, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout) as Applied;
    expect(out.registryId).toBe(acr.registryId);
    expect(out.cacheRules.map((r) => r.sourceRepository)).toEqual(["docker.io/*", "ghcr.io/*", "registry.k8s.io/*"]);
    expect(out.imports.map((i) => `${i.source} → ${i.target}`)).toEqual([`quay.io/brancz/kube-rbac-proxy@${digest} → quay.io/brancz/kube-rbac-proxy`, "registry.gitlab.com/acme/tool:2.1 → registry.gitlab.com/acme/tool:2.1"]);
    expect(out.applied.map((a) => `${a.kind} ${a.result}`)).toEqual(["cacheRule created", "cacheRule created", "cacheRule created", "import imported", "import imported"]);
    // what the registry now holds, as the service stores it
    expect([...acr.cacheRules.values()].map((r) => `${r.name} ${r.sourceRepository} ${r.targetRepository} ${r.provisioningState}`).sort()).toEqual([
      "azpol-docker-io docker.io/* docker.io/* Succeeded",
      "azpol-ghcr-io ghcr.io/* ghcr.io/* Succeeded",
      "azpol-registry-k8s-io registry.k8s.io/* registry.k8s.io/* Succeeded",
    ]);
    expect(acr.cacheRules.get("azpol-docker-io")?.credentialSetResourceId).toBe(`${acr.registryId}/credentialSets/dockerhub`);
    expect(acr.cacheRules.get("azpol-ghcr-io")?.credentialSetResourceId).toBeUndefined();
    expect([...acr.artifacts].sort()).toEqual([`quay.io/brancz/kube-rbac-proxy@${digest}`, "registry.gitlab.com/acme/tool:2.1"]);
    // the operations were polled (Azure-AsyncOperation for cache rules, Location for the import)
    expect(acr.requests.filter((r) => /\/cacheRules\/[^/]+\/operationStatuses\//.test(r.path)).length).toBeGreaterThanOrEqual(6);
    expect(acr.requests.some((r) => /\/operationResults\/operationStatuses\/registries-/.test(r.path))).toBe(true);
    expect(acr.requests.filter((r) => !/^\/(v2|oauth2)\//.test(r.path)).every((r) => r.authorization && r.query.includes("api-version=2025-11-01"))).toBe(true);

    // the planned imports were looked up in the registry's content first, by the preview and by the apply (absent then)
    expect([...new Set(acr.requests.filter((r) => r.method === "HEAD").map((r) => `${r.path} ${r.status}`))]).toEqual([`/v2/quay.io/brancz/kube-rbac-proxy/manifests/${digest} 404`, "/v2/registry.gitlab.com/acme/tool/manifests/2.1 404"]);

    const writes = acr.writes().length;
    const second = await mirror(["--yes", "--json"]);
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as Applied & { contentCheck: { checked: number; present: number } };
    // a second run plans nothing: the cache rules are listed through ARM, the imports found in the registry's data plane
    expect(again.cacheRules).toEqual([]);
    expect(again.imports).toEqual([]);
    expect(again.upToDate).toHaveLength(5);
    expect(again.contentCheck).toEqual({ checked: 2, present: 2 });
    expect(again.applied).toEqual([]);
    expect(acr.writes().slice(writes)).toEqual([]);
    expect(acr.requests.filter((r) => r.method === "HEAD").slice(-2).map((r) => r.status)).toEqual([200, 200]);
    // ACR's token exchange as azure-cli does it: the Azure token went to /oauth2/exchange only; the
    // manifests were read with the registry's own pull token, scoped to each repository
    const exchanges = acr.requests.filter((r) => r.path === "/oauth2/exchange");
    expect(exchanges.every((r) => r.form?.access_token === TOKEN && r.form.grant_type === "access_token" && r.form.service === "myacr.azurecr.io")).toBe(true);
    expect(acr.requests.filter((r) => r.path !== "/oauth2/exchange" && r.path.startsWith("/v2/")).every((r) => r.bearer !== TOKEN)).toBe(true);
    expect(acr.requests.filter((r) => r.path === "/oauth2/token").map((r) => r.form?.scope)).toContain("repository:registry.gitlab.com/acme/tool:pull");
    expect(acr.cacheRules.size).toBe(3);
    expect(acr.artifacts.has("registry.gitlab.com/acme/tool:2.1")).toBe(true);

    const text = await mirror(["--yes"]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("0 cache rule(s), 0 import(s), 5 already in the registry");
    expect(text.stderr).toContain("nothing to change in myacr");
  });

  it("reads the registry's content through its throttling, and plans the imports it could not read (NoForce) with the reason", async () => {
    acr.fault({ method: "HEAD", path: /\/manifests\//, status: 429, code: "TOOMANYREQUESTS", retryAfter: "0", times: 2 });
    const throttled = await mirror(["--yes"]);
    expect(throttled.status, throttled.stderr).toBe(0);
    expect(acr.requests.filter((r) => r.method === "HEAD" && r.status === 429)).toHaveLength(2);
    expect(throttled.stderr).toMatch(/answered 429 \(throttled\); retrying/);

    // a registry whose data plane refuses the identity (AcrPull missing): the imports are planned
    // and sent NoForce, and the reason is said; nothing is called "already there"
    const writes = acr.writes().length;
    acr.fault({ method: "POST", path: /^\/oauth2\/exchange$/, status: 401, code: "UNAUTHORIZED", times: 5 });
    const refused = await mirror(["--yes"]);
    expect(refused.status, refused.stderr).toBe(0);
    expect(refused.stderr).toContain("could not read what myacr.azurecr.io holds (exchanging the Azure token for a registry token: the registry answered 401");
    expect(refused.stdout).toContain("0 cache rule(s), 2 import(s)");
    // both accepted; the tag's import operation fails "already exists" (NoForce) and is reported present
    expect(acr.writes().slice(writes).map((w) => `${w.method} ${w.status}`)).toEqual(["POST 202", "POST 202"]);
    expect(refused.stdout).toContain("already present myacr.azurecr.io/registry.gitlab.com/acme/tool:2.1");
    expect(acr.artifacts.size).toBe(2);
  });

  it("never sends the Azure token to a realm that is not the registry", async () => {
    acr.content.realmOverride = "https://login.attacker.example/oauth2/token";
    const run = await mirror(["--yes"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("asks for the Azure token to be sent to https://login.attacker.example, which is not the registry; refused");
    expect(acr.requests.some((r) => r.path.startsWith("/oauth2/"))).toBe(false);
  });

  it("retries a throttled request after its Retry-After", async () => {
    acr.fault({ method: "PUT", path: /\/cacheRules\//, status: 429, code: "TooManyRequests", retryAfter: "0", times: 2 });
    const run = await mirror(["--yes"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("ARM answered 429 (throttled); retrying");
    expect(acr.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(acr.cacheRules.size).toBe(3);
  });

  it("an ARM error body is a clean error: code and message, what was done before it, no stack trace, exit 3", async () => {
    acr.fault({ method: "PUT", path: /azpol-ghcr-io/, status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/cacheRules/write'." });
    const run = await mirror(["--yes"]);
    expect(run.status).toBe(3);
    expect(run.stdout).toContain("created cache rule azpol-docker-io");
    expect(run.stderr).toMatch(/azpol: creating cache rule azpol-ghcr-io: The client does not have authorization/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(acr.cacheRules.has("azpol-registry-k8s-io")).toBe(false);
  });

  it("a failed import operation and an unknown registry are clean errors", async () => {
    acr.upstream.splice(0, acr.upstream.length, "ghcr.io/example/tool:1.0");
    const failed = await mirror(["--yes"]);
    expect(failed.status).toBe(3);
    expect(failed.stderr).toMatch(/importing quay\.io\/brancz\/kube-rbac-proxy@sha256:c+d*.*does not exist/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    acr.upstream.push(`quay.io/brancz/kube-rbac-proxy@${digest}`);

    const other = await azpolAsync(["mirror", "k8s", "--registry", "other.azurecr.io", "--apply", "--yes"], { cwd: project, env: env() });
    expect(other.status).toBe(3);
    expect(other.stderr).toContain("no container registry with the login server other.azurecr.io");
  });
});
