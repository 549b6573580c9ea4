// azpol mirror's other inputs and registry changes, end to end with the built CLI:
//   - --cluster: the images the live cluster runs (the fake API server, read as impact reads it)
//     give the same plan as the same workloads in a file; excluded namespaces and allowed images
//     are not mirrored;
//   - --credential-set creates the upstream's credential set (Key Vault secret ids) before the rule
//     that pulls with it, and --prune deletes only the cache rules azpol made that nothing needs,
//     through the real @azure/arm-containerregistry client against the fake ACR (SPEC.md there).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeAcr } from "../fake-acr/server.js";
import { FakeKube } from "../fake-kube/server.js";
import { azpolAsync } from "../support/cli.js";

const SUB = "00000000-0000-0000-0000-0000000000ac";
const TOKEN = "fake-cli-token-SECRET-789";
const work = mkdtempSync(join(tmpdir(), "azpol-mirror-cluster-"));
const project = join(work, "project");
const bin = join(work, "bin");
const acr = new FakeAcr({ subscription: SUB, resourceGroup: "rg-acr", name: "myacr", location: "westeurope" }, ["registry.gitlab.com/acme/tool:2.1"]);
const deployment = (name: string, namespace: string, images: string[]) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});
const shop = deployment("web", "shop", ["k8s.gcr.io/pause:3.9", "myacr.azurecr.io/team/app:1", "docker.io/nginx:1.25", "registry.gitlab.com/acme/tool:2.1"]);
const system = deployment("dns", "kube-system", ["k8s.gcr.io/coredns:1.8.6"]);
const ns = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const kube = new FakeKube({ token: "fake-kube-token", objects: { "/namespaces": [ns("shop"), ns("kube-system")], "apps/deployments": [shop, system] }, forbidden: [] });
const USER_ID = "https://kv-team.vault.azure.net/secrets/hub-user";
const PASS_ID = "https://kv-team.vault.azure.net/secrets/hub-token";

beforeAll(async () => {
  await acr.start();
  await kube.start();
  mkdirSync(bin);
  writeFileSync(join(bin, "az"), `#!/bin/sh\nprintf '{"accessToken":"${TOKEN}","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${SUB}","tenant":"t","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(bin, "az"), 0o755);
  writeFileSync(join(work, "ca.pem"), acr.cert);
  writeFileSync(join(work, "kubeconfig"), kube.kubeconfig("aks-prod"));
  mkdirSync(join(project, "k8s"), { recursive: true });
  // the same workload as a file (the namespaced one only: kube-system is excluded on the cluster)
  writeFileSync(join(project, "k8s", "web.yaml"), stringify(shop));
  for (const args of [["new", "--preset", "k8s-gcr-deprecation"], ["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"]]) {
    const made = await azpolAsync(args, { cwd: project });
    if (made.status !== 0) throw new Error(made.stderr);
  }
});
afterAll(async () => {
  await acr.stop();
  await kube.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => acr.reset());

function env(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_") && !k.startsWith("AZPOL_") && k !== "KUBECONFIG"));
  return { ...clean, PATH: `${bin}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: acr.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5", AZPOL_ACR_CONTENT_ENDPOINT: acr.endpoint, NODE_EXTRA_CA_CERTS: join(work, "ca.pem") };
}

interface Plan {
  source: string;
  problems: string[];
  credentialSets: { name: string; loginServer: string }[];
  cacheRules: { name: string; sourceRepository: string; credentialSet?: string; images: string[] }[];
  imports: { source: string; target: string }[];
  deletes: { name: string }[];
  references: { image: string; mirrored: string }[];
  applied?: { kind: string; name: string; result: string; principalId?: string }[];
}

describe("mirror --cluster", () => {
  it("plans what the live cluster runs and the definitions deny, exactly as for the same workload in a file", async () => {
    const fromCluster = await azpolAsync(["mirror", "--cluster", "--kubeconfig", join(work, "kubeconfig"), "--context", "aks-prod", "--registry", "myacr.azurecr.io", "--json"], { cwd: project, env: env() });
    expect(fromCluster.status, fromCluster.stderr).toBe(1); // work to do, not applied
    const cluster = JSON.parse(fromCluster.stdout) as Plan;
    expect(cluster.source).toMatch(/aks-prod/);
    expect(cluster.problems).toEqual([]);
    // kube-system's coredns is excluded (as impact counts it); the registry's own image is allowed
    expect(cluster.references.map((r) => r.image)).toEqual(["docker.io/nginx:1.25", "k8s.gcr.io/pause:3.9", "registry.gitlab.com/acme/tool:2.1"]);
    expect(cluster.references.find((r) => r.image === "docker.io/nginx:1.25")?.mirrored).toBe("myacr.azurecr.io/docker.io/library/nginx:1.25");

    const fromFile = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--json"], { cwd: project, env: env() });
    const file = JSON.parse(fromFile.stdout) as Plan;
    const shape = (p: Plan) => ({ cacheRules: p.cacheRules, imports: p.imports, references: p.references });
    expect(shape(cluster)).toEqual(shape(file));
    expect(file.source).toBe("files");

    const text = await azpolAsync(["mirror", "--context", "aks-prod", "--kubeconfig", join(work, "kubeconfig"), "--registry", "myacr.azurecr.io"], { cwd: project, env: env() });
    expect(text.stderr).toMatch(/read from .*aks-prod.*; 1 excluded workload\(s\)/);
    expect(text.stdout).toContain("az acr cache create --registry 'myacr' --name 'azpol-registry-k8s-io'");
    const both = await azpolAsync(["mirror", "k8s", "--cluster", "--registry", "myacr.azurecr.io"], { cwd: project, env: env() });
    expect(both.status).toBe(2);
  });
});

describe("mirror --cluster and image volumes", () => {
  it("a workload denied for its image volume gets that image planned, and not its allowed container image", async () => {
    const vol = { apiVersion: "v1", kind: "Pod", metadata: { name: "vol", namespace: "shop" }, spec: { containers: [{ name: "c", image: "myacr.azurecr.io/team/app:1" }], volumes: [{ name: "v", image: { reference: "k8s.gcr.io/etcd:3.5.0-0" } }] } };
    const saved = kube.options.objects;
    kube.options.objects = { "/namespaces": [ns("shop")], "/pods": [vol] };
    try {
      const run = await azpolAsync(["mirror", "--cluster", "--kubeconfig", join(work, "kubeconfig"), "--registry", "myacr.azurecr.io", "--json"], { cwd: project, env: env() });
      expect(run.status, run.stderr).toBe(1);
      expect((JSON.parse(run.stdout) as Plan).references.map((r) => r.image)).toEqual(["k8s.gcr.io/etcd:3.5.0-0"]);
    } finally {
      kube.options.objects = saved;
    }
  });
});

describe("mirror --credential-set and --prune", () => {
  const run = (args: string[]) => azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--apply", "--yes", ...args], { cwd: project, env: env() });

  it("creates the upstream's credential set before the rule that pulls with it, deletes only azpol's unneeded rules, and a second run plans nothing", async () => {
    // azpol's rule for an upstream nothing needs now, the user's rule on the same upstream, and a rule named like azpol's on another shape
    acr.cacheRules.set("azpol-quay-io", { name: "azpol-quay-io", sourceRepository: "quay.io/*", targetRepository: "quay.io/*", creationDate: "2026-01-01T00:00:00Z", provisioningState: "Succeeded" });
    acr.cacheRules.set("team-quay", { name: "team-quay", sourceRepository: "quay.io/team/*", targetRepository: "team/*", creationDate: "2026-01-01T00:00:00Z", provisioningState: "Succeeded" });
    acr.cacheRules.set("azpol-gcr-io", { name: "azpol-gcr-io", sourceRepository: "gcr.io/*", targetRepository: "mirror/gcr/*", creationDate: "2026-01-01T00:00:00Z", provisioningState: "Succeeded" });
    const first = await run(["--credential-set", `docker.io=${USER_ID},${PASS_ID}`, "--prune", "--json"]);
    expect(first.status, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout) as Plan;
    expect(out.applied?.map((a) => `${a.kind} ${a.name} ${a.result}`)).toEqual([
      "credentialSet azpol-docker-io created",
      "cacheRule azpol-docker-io created",
      "cacheRule azpol-registry-k8s-io created",
      "import registry.gitlab.com/acme/tool:2.1 imported",
      "deleteCacheRule azpol-quay-io deleted",
    ]);
    expect(out.applied?.[0]?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    const set = acr.credentialSets.get("azpol-docker-io");
    expect(set?.authCredentials).toEqual([{ name: "Credential1", usernameSecretIdentifier: USER_ID, passwordSecretIdentifier: PASS_ID }]);
    expect(acr.cacheRules.get("azpol-docker-io")?.credentialSetResourceId).toBe(`${acr.registryId}/credentialSets/azpol-docker-io`);
    expect([...acr.cacheRules.keys()].sort()).toEqual(["azpol-docker-io", "azpol-gcr-io", "azpol-registry-k8s-io", "team-quay"]);
    expect(acr.requests.some((r) => r.method === "DELETE" && /\/cacheRules\/azpol-quay-io$/.test(r.path))).toBe(true);

    const writes = acr.writes().length;
    const second = await run(["--credential-set", `docker.io=${USER_ID},${PASS_ID}`, "--prune"]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain("the registry already has credential set azpol-docker-io for docker.io: not created again");
    expect(second.stderr).toContain("nothing to change in myacr");
    expect(acr.writes().slice(writes)).toEqual([]);
  });

  it("--prune deletes nothing when the run could not see every image (a kind the cluster would not list)", async () => {
    acr.cacheRules.set("azpol-quay-io", { name: "azpol-quay-io", sourceRepository: "quay.io/*", targetRepository: "quay.io/*", creationDate: "2026-01-01T00:00:00Z", provisioningState: "Succeeded" });
    kube.options.forbidden = ["apps/daemonsets"];
    try {
      const partial = await azpolAsync(["mirror", "--cluster", "--kubeconfig", join(work, "kubeconfig"), "--registry", "myacr.azurecr.io", "--apply", "--yes", "--prune"], { cwd: project, env: env() });
      expect(partial.status, partial.stderr).toBe(1);
      expect(partial.stderr).toMatch(/warning: cannot list DaemonSet: HTTP 403/);
      expect(partial.stderr).toMatch(/--prune: this run did not see every image \(cannot list DaemonSet.*\); nothing is pruned/);
      expect(acr.cacheRules.has("azpol-quay-io")).toBe(true);
      expect(acr.requests.some((r) => r.method === "DELETE")).toBe(false);
    } finally {
      kube.options.forbidden = [];
    }
  });

  it("refuses a password where a secret id belongs (without echoing it), and --prune or --credential-set without --apply", async () => {
    const secret = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--apply", "--credential-set", "docker.io=hubuser,S3cretPassw0rd!"], { cwd: project, env: env() });
    expect(secret.status).toBe(2);
    expect(secret.stderr).toContain("must be a Key Vault secret identifier");
    expect(secret.stderr + secret.stdout).not.toContain("S3cretPassw0rd");
    const prune = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--prune"], { cwd: project, env: env() });
    expect(prune.status).toBe(2);
    expect(prune.stderr).toContain("need --apply");
    const upstream = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--apply", "--credential-set", `example.com=${USER_ID},${PASS_ID}`], { cwd: project, env: env() });
    expect(upstream.status).toBe(2);
    expect(acr.writes()).toEqual([]);
  });
});
