// azpol status --scope tenant: the tenant root group (the management group whose ID is the tenant
// ID), named by AZURE_TENANT_ID or by the signed-in token's tid claim; its compliance is one
// Resource Graph query over every subscription below it. The real CLI against the fake ARM.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const TENANT = "7e000000-0000-4000-8000-0000000000aa";
const SUBS = ["b1111111-1111-1111-1111-111111111111", "b2222222-2222-2222-2222-222222222222"];
const ROOT = `/providers/Microsoft.Management/managementGroups/${TENANT}`;
const arm = new FakeArm({ subscriptions: SUBS, managementGroups: { [TENANT]: SUBS } });
const work = mkdtempSync(join(tmpdir(), "azpol-tenant-"));
const project = join(work, "project");
const env = (bin: string, extra: Record<string, string> = {}) => ({ PATH: `${join(work, bin)}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUBS[0] ?? "", AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZURE_TENANT_ID: "", ...extra });
type Doc = { scope: string; assignments: { name: string; compliance?: { clusters: Record<string, number> } }[] };

beforeAll(async () => {
  await arm.start();
  writeFileSync(join(work, "ca.pem"), arm.cert);
  writeFakeAz(join(work, "bin"), SUBS[0] ?? "");
  // an az whose token is JWT-shaped, naming the tenant (as Entra ID's access tokens do)
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const jwt = `${part({ typ: "JWT", alg: "none" })}.${part({ tid: TENANT, aud: arm.endpoint })}.sig`;
  mkdirSync(join(work, "jwt-bin"));
  writeFileSync(join(work, "jwt-bin", "az"), `#!/bin/sh\nprintf '{"accessToken":"${jwt}","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${SUBS[0] ?? ""}","tenant":"${TENANT}","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(work, "jwt-bin", "az"), 0o755);
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  const deploy = await azpolAsync(["deploy", "--scope", `mg:${TENANT}`, "--yes"], { cwd: project, env: env("bin") });
  expect(deploy.status, deploy.stderr).toBe(0);
  arm.compliance.set(`${ROOT}/providers/Microsoft.Authorization/policyAssignments/k8s-gcr-deprecation`.toLowerCase(), { resources: [{ complianceState: "noncompliant", count: 3 }, { complianceState: "compliant", count: 1 }], components: [] });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("status --scope tenant", () => {
  it.each([
    ["AZURE_TENANT_ID", "bin", { AZURE_TENANT_ID: TENANT }, "from AZURE_TENANT_ID"],
    ["the token's tid claim", "jwt-bin", {}, "from the signed-in account's token"],
  ])("names the tenant root group from %s; compliance is one Resource Graph query", async (_, bin, extra, source) => {
    arm.requests.length = 0;
    const run = await azpolAsync(["status", "--scope", "tenant", "--compliance", "--json"], { cwd: project, env: env(bin, extra) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as Doc;
    matchesCliSchema("status", doc);
    expect(doc.scope).toBe(ROOT);
    expect(doc.assignments.map((a) => a.name).sort()).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    expect(doc.assignments.find((a) => a.name === "k8s-gcr-deprecation")?.compliance?.clusters).toEqual({ noncompliant: 3, compliant: 1 });
    expect(arm.requests.filter((r) => r.path === "/providers/Microsoft.ResourceGraph/resources").length).toBe(1);
    expect(arm.requests.filter((r) => r.path.includes("Microsoft.PolicyInsights"))).toEqual([]);
    // in text, where the tenant came from is said on stderr
    const text = await azpolAsync(["status", "--scope", "TENANT"], { cwd: project, env: env(bin, extra) });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr).toContain(`tenant ${TENANT} (${source}): its root management group`);
    expect(text.stdout).toContain(`2 assignments made by azpol at ${ROOT}`);
  });

  it("says how to name the tenant when neither AZURE_TENANT_ID nor the token does (exit 2), and refuses a malformed AZURE_TENANT_ID", async () => {
    const none = await azpolAsync(["status", "--scope", "tenant"], { cwd: project, env: env("bin") });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--scope tenant: azpol cannot tell which tenant .*set AZURE_TENANT_ID, or pass --scope mg:<tenant id>/);
    const bad = await azpolAsync(["status", "--scope", "tenant"], { cwd: project, env: env("bin", { AZURE_TENANT_ID: "contoso.onmicrosoft.com" }) });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('AZURE_TENANT_ID must be the tenant\'s GUID, got "contoso.onmicrosoft.com"');
  });
});
