// deploy with initiatives and exemptions, through the real SDK clients against the fake ARM: the
// initiative is written after its members and assigned as one (its members get no assignment of
// their own); exemptions are made against that assignment, expired ones skipped with a warning;
// an unchanged re-run reads four lists and writes nothing; --prune removes exemptions, the
// assignment and the initiative in that order; a saved plan with them applies as saved.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync, type CliRun } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "66666666-6666-6666-6666-666666666666";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-demo`;
const CLUSTER = `${RG}/providers/Microsoft.ContainerService/managedClusters/aks-legacy`;
const arm = new FakeArm({ subscriptions: [SUB], managementGroups: { platform: [SUB] }, resourceGroups: { [SUB]: ["rg-demo"] }, pageSize: 50 });
const work = mkdtempSync(join(tmpdir(), "azpol-initiatives-"));
const project = join(work, "project");
const initiativeFile = join(project, "initiatives", "trusted-images", "initiative.yaml");

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUB);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  arm.reset();
  for (const d of ["definitions", "initiatives"]) rmSync(join(project, d), { recursive: true, force: true });
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  mkdirSync(join(project, "initiatives", "trusted-images"), { recursive: true });
  const exemptions = `exemptions:
  - name: legacy-cluster
    displayName: aks-legacy pulls from the old mirror until it is rebuilt
    category: Waiver
    expiresOn: 2099-01-31T00:00:00Z
    scope: ${CLUSTER}
    referenceIds: [allowedRegistries]
  - name: long-gone
    category: Mitigated
    expiresOn: 2020-01-01T00:00:00Z
`;
  writeFileSync(initiativeFile, readFileSync(join(root, "initiatives", "trusted-images", "initiative.yaml"), "utf8") + exemptions);
});

const env = { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
const deploy = (...args: string[]): Promise<CliRun> => azpolAsync(["deploy", ...args], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
const names = (type: "policyDefinitions" | "policyAssignments" | "policySetDefinitions" | "policyExemptions") => arm.all(type).map((r) => r.name).sort();

describe("deploy with initiatives and exemptions", () => {
  it("assigns the initiative as one and makes its live exemption; the expired one is skipped with a warning", async () => {
    const run = await deploy("--scope", "rg-demo", "--yes");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/AZP2037.*long-gone.*expired on 2020-01-01/);
    expect(names("policyDefinitions")).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    expect(names("policySetDefinitions")).toEqual(["trusted-images"]);
    expect(names("policyAssignments")).toEqual(["trusted-images"]);
    expect(names("policyExemptions")).toEqual(["legacy-cluster"]);
    const set = arm.all("policySetDefinitions")[0];
    expect((set?.properties.policyDefinitions as { policyDefinitionId: string }[]).map((r) => r.policyDefinitionId)).toEqual([`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/allowed-registries`, `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`]);
    expect(arm.all("policyAssignments")[0]?.properties.policyDefinitionId).toBe(set?.id);
    const exemption = arm.all("policyExemptions")[0];
    expect(exemption?.id).toBe(`${CLUSTER}/providers/Microsoft.Authorization/policyExemptions/legacy-cluster`);
    expect(exemption?.properties).toMatchObject({ exemptionCategory: "Waiver", policyDefinitionReferenceIds: ["allowedRegistries"], expiresOn: "2099-01-31T00:00:00.000Z", policyAssignmentId: `${RG}/providers/Microsoft.Authorization/policyAssignments/trusted-images`, metadata: { managedBy: "azpol" } });
    // written in the order ARM needs: members, initiative, assignment, exemption
    const puts = arm.requests.filter((r) => r.method === "PUT").map((r) => r.path.split("/").at(-2));
    expect(puts).toEqual(["policyDefinitions", "policyDefinitions", "policySetDefinitions", "policyAssignments", "policyExemptions"]);
    expect(run.stdout).toContain("created initiative trusted-images");
    // status shows the initiative's assignment with its exemption
    const status = await azpolAsync(["status", "--scope", "rg-demo", "--json"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(status.status, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { assignments: { name: string; policyDefinitionId: string; exemptions: { name: string; category: string; expired: boolean; referenceIds: string[] }[] }[] };
    expect(matchesCliSchema("status", doc)).toBe(true);
    expect(doc.assignments.map((a) => [a.name, a.exemptions.map((e) => [e.name, e.category, e.expired, e.referenceIds])])).toEqual([["trusted-images", [["legacy-cluster", "Waiver", false, ["allowedRegistries"]]]]]);
    const text = await azpolAsync(["status", "--scope", "rg-demo"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(text.stdout).toContain(`initiative: ${set?.id}`);
    expect(text.stdout).toContain(`exemption: legacy-cluster (Waiver, for allowedRegistries, expires 2099-01-31T00:00:00.000Z) at ${CLUSTER}`);
  });

  it("an unchanged re-run reads four lists and writes nothing; a changed default updates the initiative only", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    arm.requests.length = 0;
    const again = await deploy("--scope", "rg-demo", "--yes");
    expect(again.status, again.stderr).toBe(0);
    expect(arm.writes()).toEqual([]);
    expect(arm.requests.map((r) => `${r.method} ${r.path.split("/").at(-1)}`).sort()).toEqual(["GET policyAssignments", "GET policyDefinitions", "GET policyExemptions", "GET policySetDefinitions"]);
    writeFileSync(initiativeFile, readFileSync(initiativeFile, "utf8").replace("default: pull images from an approved registry", "default: use myacr"));
    const changed = await deploy("--scope", "rg-demo", "--dry-run");
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain("~ update    initiative trusted-images");
    expect(changed.stdout).toContain('~ parameters.allowedRegistriesMessage.defaultValue: "pull images from an approved registry" → "use myacr"');
    expect(changed.stdout).toMatch(/= unchanged\s+exemption\s+legacy-cluster/);
  });

  it("--json reports initiatives and exemptions in the deploy schema, skipped ones with the reason", async () => {
    arm.fault({ method: "PUT", path: /policySetDefinitions/, status: 400, code: "InvalidPolicySetDefinitionRequest", times: 1 });
    const run = await deploy("--scope", "rg-demo", "--yes", "--json");
    expect(run.status).toBe(3);
    const doc = JSON.parse(run.stdout) as { applied: { kind: string; status: string; reason?: string }[]; warnings: { code: string; pointer: string }[] };
    expect(matchesCliSchema("deploy", doc)).toBe(true);
    expect(doc.warnings.map((w) => [w.code, w.pointer])).toEqual([["AZP2037", "/exemptions/1/expiresOn"]]);
    expect(doc.applied.map((a) => `${a.status} ${a.kind}${a.reason ? `: ${a.reason}` : ""}`)).toEqual([
      "done definition",
      "done definition",
      "failed setDefinition",
      "skipped assignment: its initiative was not written",
      "skipped exemption: its assignment was not written",
    ]);
  });

  it("a saved plan with an initiative and an exemption applies as saved", async () => {
    const planFile = join(work, "plan.json");
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--out", planFile)).status).toBe(0);
    const applied = await deploy("--plan", planFile, "--yes");
    expect(applied.status, applied.stderr).toBe(0);
    expect(names("policyExemptions")).toEqual(["legacy-cluster"]);
  });

  it("--prune removes the exemption, the initiative's assignment and the initiative, in that order, and assigns the members", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes", "--owner", "platform")).status).toBe(0);
    rmSync(join(project, "initiatives"), { recursive: true });
    const before = arm.requests.length;
    const pruned = await deploy("--scope", "rg-demo", "--yes", "--owner", "platform", "--prune");
    expect(pruned.status, pruned.stderr).toBe(0);
    const deletes = arm.requests.slice(before).filter((r) => r.method === "DELETE").map((r) => r.path.split("/").slice(-2).join("/"));
    expect(deletes).toEqual(["policyExemptions/legacy-cluster", "policyAssignments/trusted-images", "policySetDefinitions/trusted-images"]);
    expect(names("policyAssignments")).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    expect(names("policySetDefinitions")).toEqual([]);
  });

  it("at a management group: members and initiative in the group, the assignment there, the exemption on a cluster below it", async () => {
    const run = await deploy("--scope", "mg:platform", "--yes");
    expect(run.status, run.stderr).toBe(0);
    const MG = "/providers/Microsoft.Management/managementGroups/platform";
    expect(arm.all("policySetDefinitions").map((s) => s.id)).toEqual([`${MG}/providers/Microsoft.Authorization/policySetDefinitions/trusted-images`]);
    expect(arm.all("policyDefinitions").every((d) => d.scope === MG)).toBe(true);
    expect(arm.all("policyAssignments").map((a) => a.id)).toEqual([`${MG}/providers/Microsoft.Authorization/policyAssignments/trusted-images`]);
    expect(arm.all("policyExemptions").map((e) => [e.scope, e.properties.policyAssignmentId])).toEqual([[CLUSTER, `${MG}/providers/Microsoft.Authorization/policyAssignments/trusted-images`]]);
    arm.requests.length = 0;
    const again = await deploy("--scope", "mg:platform", "--yes");
    expect(again.status).toBe(0);
    expect(arm.writes(), again.stdout).toEqual([]);
  });

  it("refuses a --param no assigned thing has, and (as validate does) exemptions on a definition its initiative assigns", async () => {
    const param = await deploy("--scope", "rg-demo", "--dry-run", "--param", "message=x");
    expect(param.status).toBe(2);
    expect(param.stderr).toMatch(/nothing assigned has a parameter 'message'/);
    const file = join(project, "definitions", "allowed-registries", "definition.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}exemptions:\n  - name: x\n    category: Waiver\n`);
    const exempt = await deploy("--scope", "rg-demo", "--dry-run");
    expect(exempt.status).toBe(1);
    expect(exempt.stderr).toMatch(/AZP2035.*'allowed-registries' is assigned through initiative 'trusted-images'.*so its exemptions would have no assignment/);
  });
});
