// `azpol deploy` and `azpol status` end to end: the built CLI, its real DefaultAzureCredential
// (narrowed to the Azure CLI credential, with a fake `az` on PATH) and the real PolicyClient,
// against the HTTPS fake ARM on 127.0.0.1.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { azpolAsync, type CliRun } from "../support/cli.js";

const SUB = "00000000-0000-0000-0000-0000000000aa";
const TOKEN = "fake-cli-token-SECRET-123";
const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-deploy-"));
const arm = new FakeArm({ subscriptions: [SUB], managementGroups: { platform: [SUB] }, resourceGroups: { [SUB]: ["rg-demo"] } });
const bin = join(work, "bin");
const project = join(work, "project");
const azLog = join(work, "az.log");

beforeAll(async () => {
  await arm.start();
  mkdirSync(bin);
  // a stand-in for the Azure CLI: prints a token the way `az account get-access-token` does
  writeFileSync(
    join(bin, "az"),
    `#!/bin/sh\necho "$@" >> '${azLog}'\nprintf '{"accessToken":"${TOKEN}","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${SUB}","tenant":"t","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`,
  );
  chmodSync(join(bin, "az"), 0o755);
  mkdirSync(join(work, "azure"));
  writeFileSync(join(work, "azure", "azureProfile.json"), `\uFEFF${JSON.stringify({ subscriptions: [{ id: SUB, name: "Dev", isDefault: true, state: "Enabled" }] })}`);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_") && !k.startsWith("AZPOL_")));
  return {
    ...clean,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", // never probe managed identity (IMDS) from tests
    AZURE_CONFIG_DIR: join(work, "azure"),
    AZPOL_ARM_ENDPOINT: arm.endpoint,
    AZPOL_ARM_CA_FILE: join(work, "ca.pem"),
    AZPOL_RETRY_DELAY_MS: "5",
    ...extra,
  };
}

async function deploy(args: string[], extra?: NodeJS.ProcessEnv): Promise<CliRun> {
  const run = await azpolAsync(["deploy", "--scope", "rg-demo", ...args], { cwd: project, env: env(extra) });
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  return run;
}

const writesSince = (n: number) => arm.writes().slice(n);

describe("deploy", () => {
  it("plans, then creates definitions at the subscription and assignments at the resource group", async () => {
    const run = await deploy(["--yes"]);
    expect(run.stderr).toContain(`subscription ${SUB} (from Azure CLI default)`);
    expect(run.stdout).toContain(`Plan for /subscriptions/${SUB}/resourceGroups/rg-demo (definitions in subscription ${SUB}):`);
    expect(run.stdout).toContain("Plan: 4 to create, 0 to update, 0 unchanged, 0 blocked.");
    expect(run.stdout).toContain("created definition k8s-gcr-deprecation");
    expect(run.status).toBe(0);
    expect(arm.all("policyDefinitions").map((d) => d.id).sort()).toEqual([
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/allowed-registries`,
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`,
    ]);
    expect(arm.all("policyAssignments").map((a) => a.scope)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-demo`, `/subscriptions/${SUB}/resourceGroups/rg-demo`]);
    expect(arm.requests.every((r) => r.authorization)).toBe(true);
    expect(readFileSync(azLog, "utf8")).toContain(`account get-access-token --output json --resource ${arm.endpoint}`);
    const policy = JSON.parse(readFileSync(join(root, "definitions", "k8s-gcr-deprecation", "golden", "policy.json"), "utf8")) as { properties: Record<string, unknown> };
    expect(arm.get(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`)?.properties).toMatchObject(policy.properties);
  });

  it("changes only what differs: an unchanged re-run makes no writes", async () => {
    await deploy(["--yes"]);
    const before = arm.writes().length;
    const again = await deploy(["--yes"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("Plan: 0 to create, 0 to update, 4 unchanged, 0 blocked.");
    expect(again.stderr).toContain("nothing to change");
    expect(writesSince(before)).toEqual([]);
  });

  it("--dry-run shows the diff and writes nothing; without --yes and a terminal it does not apply (exit 4)", async () => {
    await deploy(["--yes"]);
    const before = arm.writes().length;
    const dry = await deploy(["--dry-run", "--param", "effect=Audit", "--enforcement-mode", "DoNotEnforce"]);
    expect(dry.status).toBe(0);
    // values side by side, the one from a flag marked as such (plan-review.test.ts)
    expect(dry.stdout).toContain('~ update    assignment k8s-gcr-deprecation\n      value              in Azure   desired\n      parameters.effect  (none)     "Audit"  (--param, this run only)\n      enforcementMode    "Default"  "DoNotEnforce"');
    expect(dry.stderr).toContain("dry run: nothing was changed");
    const unconfirmed = await deploy(["--param", "effect=Audit"]);
    expect(unconfirmed.status).toBe(4);
    expect(unconfirmed.stderr).toContain("rerun with --yes");
    expect(writesSince(before)).toEqual([]);
  });

  it("shows ARM errors with code and message, and a re-run after a partial failure converges", async () => {
    arm.fault({ method: "PUT", path: /policyAssignments\/k8s-gcr-deprecation$/, status: 403, code: "AuthorizationFailed", message: "The client 'me' does not have authorization to perform action 'Microsoft.Authorization/policyAssignments/write'." });
    const first = await deploy(["--yes"]);
    expect(first.status).toBe(3);
    expect(first.stdout).toMatch(/failed assignment k8s-gcr-deprecation: 403 AuthorizationFailed: writing assignment k8s-gcr-deprecation: The client 'me' does not have authorization.*\(request id [0-9a-f-]+\)/);
    expect(first.stdout).toContain("created assignment allowed-registries");
    const before = arm.writes().length;
    const second = await deploy(["--yes"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("Plan: 1 to create, 0 to update, 3 unchanged, 0 blocked.");
    expect(writesSince(before).map((w) => w.path)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/k8s-gcr-deprecation`]);
  });

  it("retries throttling (429 + Retry-After) and server errors, and says so", async () => {
    arm.fault({ method: "PUT", status: 429, code: "SubscriptionRequestsThrottled", retryAfter: "0", times: 2 });
    arm.fault({ method: "GET", status: 503, code: "ServiceUnavailable" });
    const run = await deploy(["--yes", "--concurrency", "1"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("ARM answered 429 (throttled); retrying: waiting 0 ms (Retry-After)...");
    expect(run.stderr).toContain("ARM answered 503; retrying...");
    expect(arm.all("policyAssignments")).toHaveLength(2);
  });

  it("blocks a change ARM would reject before any write, with exit 1", async () => {
    await deploy(["--yes"]);
    const stored = arm.get(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`);
    (stored?.properties.parameters as Record<string, unknown>).legacy = { type: "String", defaultValue: "x" };
    const before = arm.writes().length;
    const run = await deploy(["--yes"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("! blocked   definition k8s-gcr-deprecation\n      blocked: parameter 'legacy' would be removed");
    expect(run.stderr).toContain("1 change(s) are blocked; nothing was changed");
    expect(writesSince(before)).toEqual([]);
  });

  it("--json prints the plan and the result for machines", async () => {
    const run = await deploy(["--yes", "--json", "--param", "allowedRegistries=myacr.azurecr.io,team.azurecr.io"]);
    expect(run.status).toBe(0);
    expect(matchesCliSchema("deploy", JSON.parse(run.stdout))).toBe(true);
    const report = JSON.parse(run.stdout) as { ok: boolean; plan: { counts: Record<string, number>; items: { name: string; action: string }[] }; applied: { status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.plan.counts).toEqual({ create: 4, update: 0, unchanged: 0, blocked: 0, delete: 0 });
    expect(report.applied.map((a) => a.status)).toEqual(["done", "done", "done", "done"]);
    const a = arm.get(`/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/allowed-registries`);
    expect(a?.properties.parameters).toEqual({ allowedRegistries: { value: ["myacr.azurecr.io", "team.azurecr.io"] } });
  });

  it("deploys at a management group scope", async () => {
    const run = await azpolAsync(["deploy", "--scope", "mg:platform", "--yes"], { cwd: project, env: env() });
    expect(run.status).toBe(0);
    expect(arm.all("policyDefinitions").every((d) => d.scope === "/providers/Microsoft.Management/managementGroups/platform")).toBe(true);
    expect(arm.all("policyAssignments").map((a) => a.name).sort()).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
  });

  it("explains each credential that failed and how to fix it", async () => {
    const run = await azpolAsync(["deploy", "--scope", "rg-demo", "--dry-run"], { cwd: project, env: env({ PATH: "/nonexistent" }) });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no Azure credential worked; tried:\n {2}- .*Azure CLI/);
    expect(run.stderr).toContain("fix: install the Azure CLI and run 'az login'");
    expect(arm.requests).toEqual([]);
  });

  it("needs a subscription for a resource group scope", async () => {
    const run = await azpolAsync(["deploy", "--scope", "rg-demo"], { cwd: project, env: env({ AZURE_CONFIG_DIR: join(work, "none") }) });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("pass --subscription, set AZURE_SUBSCRIPTION_ID, or run 'az account set'");
  });
});

describe("status", () => {
  it("lists the assignments azpol made at the scope", async () => {
    await deploy(["--yes", "--param", "effect=Audit"]);
    const run = await azpolAsync(["status", "--scope", `/subscriptions/${SUB}/resourceGroups/rg-demo`, "--json"], { cwd: project, env: env() });
    expect(run.status).toBe(0);
    expect(matchesCliSchema("status", JSON.parse(run.stdout))).toBe(true);
    const report = JSON.parse(run.stdout) as { assignments: { name: string; enforcementMode: string; parameters: Record<string, unknown> }[] };
    expect(report.assignments.map((a) => [a.name, a.enforcementMode, a.parameters.effect])).toEqual([
      ["allowed-registries", "Default", "Audit"],
      ["k8s-gcr-deprecation", "Default", "Audit"],
    ]);
    const text = await azpolAsync(["status", "--scope", "rg-demo"], { cwd: project, env: env() });
    expect(text.stdout).toContain(`2 assignments made by azpol at /subscriptions/${SUB}/resourceGroups/rg-demo`);
  });
});

describe("timeouts: nothing on the network can make azpol hang", () => {
  it("an ARM endpoint that accepts the connection and never answers ends in a clear error (exit 3)", async () => {
    arm.fault({ method: "GET", status: 0, code: "", kind: "hang", times: 10 });
    const started = Date.now();
    const run = await deploy(["--dry-run", "--request-timeout", "1", "--max-retries", "1"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/ARM did not answer in time \(each request is bounded by --request-timeout\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("a credential that never answers ends in a clear error (exit 3)", async () => {
    const slow = join(work, "slow-bin");
    mkdirSync(slow, { recursive: true });
    writeFileSync(join(slow, "az"), "#!/bin/sh\nsleep 300\n");
    chmodSync(join(slow, "az"), 0o755);
    const run = await deploy(["--dry-run", "--credential-timeout", "1"], { PATH: `${slow}:${process.env.PATH ?? ""}` });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no Azure credential answered within 1 s \(--credential-timeout\)/);
  });

  it.each([["--request-timeout", "0"], ["--credential-timeout", "soon"]])("%s %s is a usage error", async (flag, value) => {
    const run = await deploy(["--dry-run", flag, value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${flag} must be a number of seconds`));
  });
});
