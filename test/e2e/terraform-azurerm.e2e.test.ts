// The generated Terraform with the REAL hashicorp/azurerm provider (built from the Go module proxy by
// scripts/install-azurerm-provider.sh into an offline filesystem mirror) and the real terraform,
// against the fake ARM: for a definition assigned at a resource group and a subscription, a
// definition made and assigned at a management group, and the shipped initiative with its member
// definitions, each example root runs `terraform init` (from the mirror only), `plan` (changes
// pending), `apply`, a second `plan` that must be empty, and `destroy`. What the provider wrote is
// compared with what azpol's own policy.json / policyset.json say. The provider reaches the fake as a
// custom cloud: metadata_host (ARM_METADATA_HOSTNAME) serves the cloud's endpoints, a client secret
// is exchanged at the fake's Entra ID token endpoint, the fake's CA is the only trusted one
// (SSL_CERT_FILE), and every other host goes to a closed proxy port. Run by `npm run check:azurerm`
// (not by npm test or test:tools: the provider's first build is long, README "Terraform with the
// real provider").
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, CLIENT_SECRET, TENANT } from "../fake-arm/client-endpoints.js";
import { FakeArm } from "../fake-arm/server.js";
import { azpolAsync, runAsync, type CliRun } from "../support/cli.js";
import { findTerraform } from "../support/terraform.js";

const root = join(import.meta.dirname, "..", "..");
// one subscription per case, so the cases run at the same time without touching each other's
// resources: the provider waits on purpose after every write (see vitest.azurerm.config.ts)
const SUB = "33333333-3333-3333-3333-333333333333";
const SUB_MG = "44444444-4444-4444-4444-444444444444";
const SUB_SET = "55555555-5555-5555-5555-555555555555";
const MG = "/providers/Microsoft.Management/managementGroups/platform";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-demo`;
const PROVIDER_VERSION = process.env.AZURERM_PROVIDER_VERSION ?? "5.2.0";
const mirror = process.env.AZPOL_AZURERM_MIRROR ?? join(process.env.AZPOL_CI_CACHE ?? join(homedir(), ".cache", "azpol-ci"), `azurerm-mirror-${PROVIDER_VERSION}`);
const terraform = findTerraform();
const ready = terraform !== undefined && existsSync(join(mirror, "registry.terraform.io", "hashicorp", "azurerm", PROVIDER_VERSION));
if (!ready && process.env.AZPOL_REQUIRE_AZURERM) throw new Error(`the azurerm provider mirror (${mirror}) or terraform is missing: run npm run check:azurerm`);

const arm = new FakeArm({ subscriptions: [SUB, SUB_MG, SUB_SET], managementGroups: { platform: [SUB_MG] }, resourceGroups: { [SUB]: ["rg-demo"] } });
const work = mkdtempSync(join(tmpdir(), "azpol-azurerm-"));
const project = join(work, "project");
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!ready) return;
  await arm.start();
  writeFileSync(join(work, "ca.pem"), arm.cert);
  // terraform installs providers from the mirror only: no registry, no network
  writeFileSync(join(work, "terraformrc"), `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/azurerm"]\n  }\n}\n`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ARM_|AZURE_|TF_|SSL_CERT|HTTPS?_PROXY|NO_PROXY)/i.test(k)));
  env = {
    ...clean,
    TF_CLI_CONFIG_FILE: join(work, "terraformrc"),
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    ARM_METADATA_HOSTNAME: new URL(arm.endpoint).host,
    ARM_TENANT_ID: TENANT,
    ARM_CLIENT_ID: CLIENT_ID,
    ARM_CLIENT_SECRET: CLIENT_SECRET,
    // enhanced validation would list the subscription's locations and resource providers, which a
    // policy-only deployment does not need and the fake does not serve
    ARM_PROVIDER_ENHANCED_VALIDATION_LOCATIONS: "false",
    ARM_PROVIDER_ENHANCED_VALIDATION_RESOURCE_PROVIDERS: "false",
    SSL_CERT_FILE: join(work, "ca.pem"),
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
  };
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  cpSync(join(root, "initiatives"), join(project, "initiatives"), { recursive: true, filter: (s) => !s.includes("golden") });
  const build = await azpolAsync(["build", "--format", "all"], { cwd: project });
  if (build.status !== 0) throw new Error(build.stderr);
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

function tf(name: string, args: string[]): Promise<CliRun> {
  return runAsync(terraform as string, [...args, "-no-color"], { cwd: join(project, "out", name, "example"), env });
}

const properties = (name: string, file: string) => (JSON.parse(readFileSync(join(project, "out", name, file), "utf8")) as { properties: Record<string, unknown> }).properties;
const withoutSchemas = (parameters: unknown) => Object.fromEntries(Object.entries(parameters as Record<string, Record<string, unknown>>).map(([k, { schema: _s, ...rest }]) => [k, rest]));
const stored = (id: string) => arm.get(id)?.properties;
const definitionId = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/policyDefinitions/${name}`;
const assignmentId = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`;

/** init, plan (2: changes), apply, plan (0: nothing to do); returns the apply's output. */
async function initPlanApplyPlan(name: string, vars: string[]): Promise<void> {
  const init = await tf(name, ["init", "-input=false"]);
  expect(init.stdout + init.stderr).toMatch(/Installing hashicorp\/azurerm v5\.2\.0|Using previously-installed hashicorp\/azurerm v5\.2\.0/);
  expect(init.status, init.stderr).toBe(0);
  const first = await tf(name, ["plan", "-input=false", "-detailed-exitcode", ...vars]);
  expect(first.status, first.stdout + first.stderr).toBe(2);
  const apply = await tf(name, ["apply", "-input=false", "-auto-approve", ...vars]);
  expect(apply.status, apply.stdout + apply.stderr).toBe(0);
  const second = await tf(name, ["plan", "-input=false", "-detailed-exitcode", ...vars]);
  expect({ status: second.status, plan: second.status === 0 ? "" : second.stdout + second.stderr }).toEqual({ status: 0, plan: "" });
}

/** destroy, after which nothing is left at or below `scope` (a subscription or management group). */
async function destroy(name: string, vars: string[], scope: string): Promise<void> {
  const run = await tf(name, ["destroy", "-input=false", "-auto-approve", ...vars]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const left = (["policyDefinitions", "policySetDefinitions", "policyAssignments"] as const).flatMap((t) => arm.all(t)).filter((r) => r.id.toLowerCase().startsWith(`${scope.toLowerCase()}/`));
  expect(left.map((r) => r.id)).toEqual([]);
}

describe.runIf(ready).concurrent("the generated Terraform with the real azurerm provider against the fake ARM", () => {
  it("a definition in the subscription, assigned at a resource group and the subscription: apply, an empty second plan, destroy", async () => {
    const vars = ["-var", `subscription_id=${SUB}`, "-var", `assign_resource_group_id=${RG}`, "-var", `assign_subscription_id=/subscriptions/${SUB}`, "-var", "enforce=false", "-var", 'parameters={ effect = "Audit" }'];
    await initPlanApplyPlan("k8s-gcr-deprecation", vars);
    const policy = properties("k8s-gcr-deprecation", "policy.json");
    const definition = stored(definitionId(`/subscriptions/${SUB}`, "k8s-gcr-deprecation"));
    // the provider sent exactly azpol's rule: the template read with filebase64() is policy.json's Base64
    expect(definition?.policyRule).toEqual(policy.policyRule);
    expect(definition).toMatchObject({ mode: "Microsoft.Kubernetes.Data", displayName: policy.displayName, description: policy.description, policyType: "Custom" });
    expect(definition?.parameters).toEqual(withoutSchemas(policy.parameters));
    for (const scope of [RG, `/subscriptions/${SUB}`]) {
      const assignment = stored(assignmentId(scope, "k8s-gcr-deprecation"));
      expect(assignment).toMatchObject({ policyDefinitionId: definitionId(`/subscriptions/${SUB}`, "k8s-gcr-deprecation"), enforcementMode: "DoNotEnforce" });
      expect((assignment?.parameters as Record<string, { value: unknown }>).effect).toEqual({ value: "Audit" });
    }
    // it found the cloud through the metadata, signed in with the client secret, and sent a bearer
    // token with every policy request
    expect(arm.requests.some((r) => r.method === "GET" && r.path === "/metadata/endpoints" && r.query === "api-version=2022-09-01" && r.status === 200)).toBe(true);
    expect(arm.requests.some((r) => r.method === "POST" && r.path === `/${TENANT}/oauth2/v2.0/token` && r.status === 200)).toBe(true);
    expect(arm.requests.filter((r) => r.path.includes("/providers/Microsoft.Authorization/") && !r.authorization)).toEqual([]);
    await destroy("k8s-gcr-deprecation", vars, `/subscriptions/${SUB}`);
  });

  it("a definition made and assigned at a management group (a 24-character assignment name)", async () => {
    const vars = ["-var", `subscription_id=${SUB_MG}`, "-var", `definition_management_group_id=${MG}`, "-var", `assign_management_group_id=${MG}`, "-var", 'parameters={ allowedRegistries = ["myregistry.azurecr.io"] }'];
    await initPlanApplyPlan("allowed-registries", vars);
    const policy = properties("allowed-registries", "policy.json");
    expect(stored(definitionId(MG, "allowed-registries"))?.policyRule).toEqual(policy.policyRule);
    const assignment = stored(assignmentId(MG, "allowed-registries"));
    expect(assignment).toMatchObject({ policyDefinitionId: definitionId(MG, "allowed-registries"), enforcementMode: "Default" });
    expect((assignment?.parameters as Record<string, { value: unknown }>).allowedRegistries).toEqual({ value: ["myregistry.azurecr.io"] });
    await destroy("allowed-registries", vars, MG);
  });

  it("the shipped initiative with its member definitions, assigned at the subscription", async () => {
    const sub = `/subscriptions/${SUB_SET}`;
    const vars = ["-var", `subscription_id=${SUB_SET}`, "-var", `assign_subscription_id=${sub}`];
    await initPlanApplyPlan("trusted-images", vars);
    const set = properties("trusted-images", "policyset.json");
    const setId = `${sub}/providers/Microsoft.Authorization/policySetDefinitions/trusted-images`;
    const storedSet = stored(setId);
    expect(storedSet).toMatchObject({ displayName: set.displayName, policyType: "Custom" });
    expect(storedSet?.parameters).toEqual(set.parameters);
    // policyset.json names members at azpol's placeholder location; the provider wrote the real ids
    const members = (list: unknown) => (list as { policyDefinitionReferenceId: string; policyDefinitionId: string; parameters: unknown }[]).map((m) => ({ ref: m.policyDefinitionReferenceId, name: m.policyDefinitionId.split("/").pop(), parameters: m.parameters }));
    expect(members(storedSet?.policyDefinitions)).toEqual(members(set.policyDefinitions));
    for (const member of ["k8s-gcr-deprecation", "allowed-registries"]) expect(stored(definitionId(sub, member))?.policyRule).toEqual(properties(member, "policy.json").policyRule);
    expect(stored(assignmentId(sub, "trusted-images"))?.policyDefinitionId).toBe(setId);
    await destroy("trusted-images", vars, sub);
  });
});
