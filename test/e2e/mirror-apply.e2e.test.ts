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
  return { ...clean, PATH: `${bin}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: acr.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
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
  it("plans, applies through the long-running operations, and a second run creates no cache rule and changes no image", async () => {
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
    expect(acr.requests.every((r) => r.authorization && r.query.includes("api-version=2025-11-01"))).toBe(true);

    const writes = acr.writes().length;
    const second = await mirror(["--yes"]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain("0 cache rule(s), 2 import(s), 3 already served by the registry's cache rules");
    // imports cannot be listed through ARM: they are sent again with NoForce. A tag already there
    // is refused and said "already present"; a digest is copied again untagged (the same manifest).
    expect(second.stdout).toContain("already present myacr.azurecr.io/registry.gitlab.com/acme/tool:2.1");
    expect(acr.writes().slice(writes).map((w) => `${w.method} ${w.status}`)).toEqual(["POST 202", "POST 409"]);
    expect(acr.cacheRules.size).toBe(3);
    expect(acr.artifacts.size).toBe(2);
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
