// The az artifacts and the README's az commands, run with the real Azure CLI (azure-cli 2.91 from
// PyPI) against the fake ARM: README's `az policy definition create`, create.sh (definition and
// assignment), `az policy definition show`, `az policy assignment list`; then `azpol deploy` with the
// real az as its credential, and az reads back what azpol wrote.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { azpolAsync } from "../support/cli.js";
import { azureCliEnv, findAzureCli, run } from "../support/azure-cli.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "22222222-2222-2222-2222-222222222222";
const RG_SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-demo`;
const az = findAzureCli();
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] } });
const work = mkdtempSync(join(tmpdir(), "azpol-az-"));
const project = join(work, "project");
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!az) return;
  await arm.start();
  writeFileSync(join(work, "ca.pem"), arm.cert);
  mkdirSync(join(work, "azure"));
  env = azureCliEnv({ endpoint: arm.endpoint, caFile: join(work, "ca.pem"), configDir: join(work, "azure"), az });
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  cpSync(join(root, "initiatives"), join(project, "initiatives"), { recursive: true });
  const build = await azpolAsync(["build", "--format", "all"], { cwd: project });
  if (build.status !== 0) throw new Error(build.stderr);
  const login = await run(az, ["login", "--identity", "--output", "json"], { cwd: project, env });
  if (login.status !== 0) throw new Error(`az login --identity against the fake failed: ${login.stderr}`);
}, 120_000);
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

const policyJson = (name: string) => (JSON.parse(readFileSync(join(project, "out", name, "policy.json"), "utf8")) as { properties: Record<string, unknown> }).properties;

/** The README's az snippet: the fenced sh block after "**Azure CLI.**". */
function readmeAzBlock(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const after = readme.slice(readme.indexOf("**Azure CLI.**"));
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1];
  if (!block) throw new Error("README has no az snippet after **Azure CLI.**");
  return block;
}

describe.runIf(az !== undefined)("the real Azure CLI against the fake ARM", () => {
  it("the README's az policy definition create command creates the definition", async () => {
    const block = readmeAzBlock().replace(/^\s+/gm, "");
    expect(block).toMatch(/az policy definition create .*--mode Microsoft\.Kubernetes\.Data/s);
    const created = await run("sh", ["-ec", block], { cwd: project, env });
    expect(created.stderr).not.toMatch(/ERROR/);
    expect(created.status).toBe(0);
    const stored = arm.get(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`);
    expect(stored?.properties.mode).toBe("Microsoft.Kubernetes.Data");
    expect(stored?.properties.policyRule).toEqual(policyJson("k8s-gcr-deprecation").policyRule);
    expect(stored?.properties.parameters).toEqual(policyJson("k8s-gcr-deprecation").parameters);
  });

  it("create.sh creates the definition with every field and assigns it at SCOPE", async () => {
    const created = await run("sh", [join(project, "out", "allowed-registries", "create.sh")], { cwd: work, env: { ...env, SCOPE: RG_SCOPE } });
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain(`definition: /subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/allowed-registries`);
    expect(created.stdout).toContain(`assignment: ${RG_SCOPE}/providers/Microsoft.Authorization/policyAssignments/allowed-registries`);
    expect(created.status).toBe(0);
  });

  // audit-builtins findings 7 and 8: a name or display name starting with '-' was read by az as an
  // option ("argument -n/--name: expected one argument"), and the example assignment left out a
  // parameter without default (Azure refuses that assignment after the definition is made)
  it("create.sh passes names that start with '-', and asks for a parameter without default before creating anything", async () => {
    const dash = join(work, "dash");
    mkdirSync(join(dash, "definitions", "dash"), { recursive: true });
    cpSync(join(project, "constraint-templates", "allowed-registries", "template.yaml"), join(dash, "definitions", "dash", "template.yaml"));
    writeFileSync(join(dash, "definitions", "dash", "definition.yaml"), `name: -dash\ndisplayName: -Dash display\ndescription: -d\ntemplate:\n  path: template.yaml\n  source: Base64Encoded\nparameters:\n  registries:\n    type: Array\n    templateParameter: registries\n`);
    const build = await azpolAsync(["build", "--format", "az"], { cwd: dash });
    expect(build.status, build.stderr).toBe(0);
    const script = join(dash, "out", "-dash", "create.sh");
    const definitionPath = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/-dash`;
    const refused = await run("sh", [script], { cwd: work, env: { ...env, SCOPE: RG_SCOPE } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/the parameters registries have no default, so an assignment must set them .*nothing was created/);
    expect(arm.get(definitionPath)).toBeUndefined();
    const created = await run("sh", [script], { cwd: work, env: { ...env, SCOPE: RG_SCOPE, PARAMS: '{"registries": {"value": ["myregistry.azurecr.io"]}}' } });
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    expect(arm.get(definitionPath)?.properties).toMatchObject({ displayName: "-Dash display", description: "-d" });
    const assignment = arm.get(`${RG_SCOPE}/providers/Microsoft.Authorization/policyAssignments/-dash`);
    expect(assignment?.properties).toMatchObject({ displayName: "-Dash display", parameters: { registries: { value: ["myregistry.azurecr.io"] } } });
    // the later tests list the assignments at RG_SCOPE: this one goes again
    const removed = await run(az as string, ["policy", "assignment", "delete", "--name=-dash", `--scope=${RG_SCOPE}`], { cwd: work, env });
    expect(removed.status, removed.stderr).toBe(0);
    expect(arm.get(`${RG_SCOPE}/providers/Microsoft.Authorization/policyAssignments/-dash`)).toBeUndefined();
  });

  it("create.sh of a versioned Mutate definition sends mutationInfo and properties.version (az --version)", async () => {
    // outside definitions/: deploy (below) refuses Mutate definitions
    cpSync(join(root, "test", "fixtures", "definitions", "mutation"), join(project, "mutations", "mutation"), { recursive: true });
    const build = await azpolAsync(["build", "mutations", "--format", "az", "--out", "out-mutations"], { cwd: project });
    expect(build.status).toBe(0);
    const created = await run("sh", [join(project, "out-mutations", "mutate-drop-all-capabilities", "create.sh")], { cwd: work, env });
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    const stored = arm.get(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/mutate-drop-all-capabilities`);
    expect(stored?.properties.version).toBe("1.1.0-preview");
    expect((stored?.properties.policyRule as { then: { details: Record<string, unknown> } }).then.details.mutationInfo).toEqual({ sourceType: "PublicURL", url: "https://contoso.blob.core.windows.net/policies/mutate-drop-all-capabilities/mutation.yaml" });
  });

  it("az policy definition show returns policy.json's properties", async () => {
    const shown = await run(az as string, ["policy", "definition", "show", "--name", "allowed-registries", "--output", "json"], { cwd: work, env });
    expect(shown.status).toBe(0);
    const definition = JSON.parse(shown.stdout) as Record<string, unknown>;
    const expected = policyJson("allowed-registries");
    for (const key of ["displayName", "description", "mode", "parameters", "policyRule"]) expect(definition[key]).toEqual(expected[key]);
    expect(definition.metadata).toMatchObject(expected.metadata as Record<string, unknown>);
  });

  it("az policy assignment list shows the assignment create.sh made", async () => {
    const listed = await run(az as string, ["policy", "assignment", "list", "--scope", RG_SCOPE, "--output", "json"], { cwd: work, env });
    expect(listed.status).toBe(0);
    const assignments = JSON.parse(listed.stdout) as { name: string; policyDefinitionId: string; enforcementMode: string }[];
    expect(assignments.map((a) => [a.name, a.policyDefinitionId, a.enforcementMode])).toEqual([["allowed-registries", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/allowed-registries`, "Default"]]);
  });

  it("the initiative's create.sh creates its members, then the initiative as policyset.json says, and assigns it at SCOPE", async () => {
    const created = await run("sh", [join(project, "out", "trusted-images", "create.sh")], { cwd: work, env: { ...env, SCOPE: RG_SCOPE } });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain(`initiative: /subscriptions/${SUB}/providers/Microsoft.Authorization/policySetDefinitions/trusted-images`);
    expect(created.stdout).toContain(`assignment: ${RG_SCOPE}/providers/Microsoft.Authorization/policyAssignments/trusted-images`);
    const expected = JSON.parse(readFileSync(join(project, "out", "trusted-images", "policyset.json"), "utf8").replaceAll("{definitionLocation}", `/subscriptions/${SUB}`)) as { properties: Record<string, unknown> };
    const shown = await run(az as string, ["policy", "set-definition", "show", "--name", "trusted-images", "--output", "json"], { cwd: work, env });
    expect(shown.status, shown.stderr).toBe(0);
    const set = JSON.parse(shown.stdout) as Record<string, unknown>;
    for (const key of ["displayName", "description", "parameters"]) expect({ key, value: set[key] }).toEqual({ key, value: expected.properties[key] });
    expect(set.metadata).toMatchObject(expected.properties.metadata as object);
    const refs = (set.policyDefinitions as Record<string, unknown>[]).map(({ policyDefinitionId, policyDefinitionReferenceId, parameters }) => ({ policyDefinitionId, policyDefinitionReferenceId, parameters }));
    expect(refs).toEqual(expected.properties.policyDefinitions);
    // the members were created by their own create.sh, and not assigned on their own
    const assignments = JSON.parse((await run(az as string, ["policy", "assignment", "list", "--scope", RG_SCOPE, "--output", "json"], { cwd: work, env })).stdout) as { name: string }[];
    expect(assignments.map((a) => a.name).sort()).toEqual(["allowed-registries", "trusted-images"]);
  });

  it("azpol deploy uses the real az as its credential, and az reads back what it wrote", async () => {
    // what create.sh made is not azpol's (no metadata.managedBy), and azpol will not take it over
    arm.reset();
    const deployEnv = { ...env, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem") };
    const deployed = await azpolAsync(["deploy", "definitions", "--scope", "rg-demo", "--yes"], { cwd: project, env: deployEnv });
    expect(deployed.stderr + deployed.stdout).not.toMatch(/fake-mi-token|eyJ/);
    expect(deployed.status, deployed.stderr + deployed.stdout).toBe(0);
    const shown = await run(az as string, ["policy", "assignment", "show", "--name", "k8s-gcr-deprecation", "--scope", RG_SCOPE, "--output", "json"], { cwd: work, env });
    expect(shown.status).toBe(0);
    expect((JSON.parse(shown.stdout) as { policyDefinitionId: string }).policyDefinitionId).toBe(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`);
    const definition = JSON.parse((await run(az as string, ["policy", "definition", "show", "--name", "k8s-gcr-deprecation", "--output", "json"], { cwd: work, env })).stdout) as Record<string, unknown>;
    expect(definition.policyRule).toEqual(policyJson("k8s-gcr-deprecation").policyRule);
  });

  it("sent nothing anywhere but the fake, and only api-versions the fake serves", () => {
    expect(arm.requests.length).toBeGreaterThan(5);
    expect(arm.requests.filter((r) => r.status === 400 && /api-version/.test(r.query))).toEqual([]);
  });
});
