// Planning and applying initiatives and exemptions, pure and through an in-memory ArmPort: what ARM
// adds to a set (groupNames, stamps, id case) is no change; a member replaced with --allow-replace
// moves the initiative to <name>-v2 before the old definition goes; a failed write skips what
// depends on it (member → initiative → assignment → exemption), and deletes go in reverse order.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProject } from "../../src/pipeline/build-project.js";
import type { ArmPort, ArmResource } from "../../src/deploy/arm-port.js";
import { applyPlan } from "../../src/deploy/apply-plan.js";
import { deadlineIn } from "../../src/deploy/deadline.js";
import { desiredState } from "../../src/deploy/desired-state.js";
import { planDeployment, type Current } from "../../src/deploy/plan.js";
import { parseScope } from "../../src/deploy/scope.js";
import { AzureError } from "../../src/errors.js";
import { findDefinitionFiles, loadDefinitionInput, readParsedFile } from "../../src/io/load-definitions.js";
import { readAnywhere } from "../../src/io/project-boundary.js";
import { parseSourceText } from "../../src/io/source-file.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "00000000-0000-0000-0000-000000000001";
const scope = parseScope("rg-demo", SUB);
const definitions = findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root)));
const text = `${readParsedFile(join(root, "initiatives", "trusted-images", "initiative.yaml")).text}exemptions:\n  - name: waiver\n    category: Waiver\n    referenceIds: [allowedRegistries]\n`;
const parsed = parseSourceText("initiative.yaml", text);
const built = buildProject(definitions, [{ file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors }], []);
const desired = desiredState(built.models, scope, () => ({}), "Default", "default", built.initiatives);

/** What ARM holds after the PUTs: echoed properties, stamps, lower-cased ids, server fields in references. */
function stored(): Current {
  const stamp = (id: string, properties: Record<string, unknown>): ArmResource => ({ id: id.toLowerCase(), name: id.split("/").pop() ?? "", properties: { ...structuredClone(properties), metadata: { ...(properties.metadata as object), createdOn: "2026-01-01T00:00:00Z" } } });
  return {
    definitions: desired.definitions.map((d) => stamp(d.id, d.properties)),
    setDefinitions: desired.setDefinitions.map((d) => {
      const s = stamp(d.id, d.properties);
      s.properties.policyDefinitions = (s.properties.policyDefinitions as Record<string, unknown>[]).map((r) => ({ ...r, policyDefinitionId: String(r.policyDefinitionId).toLowerCase(), groupNames: [], definitionVersion: "1.*.*" }));
      return s;
    }),
    assignments: desired.assignments.map((a) => stamp(a.id, a.properties)),
    exemptions: desired.exemptions.map((e) => ({ ...stamp(e.id, e.properties), properties: { ...stamp(e.id, e.properties).properties, exemptionCategory: "waiver" } })),
  };
}

describe("plan", () => {
  it("creates members, the initiative, its one assignment and the exemption; an identical ARM is unchanged", () => {
    expect(built.diagnostics).toEqual([]);
    const plan = planDeployment(desired, { definitions: [], assignments: [] }, "s");
    expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name}`)).toEqual([
      "create definition allowed-registries",
      "create definition k8s-gcr-deprecation",
      "create setDefinition trusted-images",
      "create assignment trusted-images",
      "create exemption waiver",
    ]);
    expect(planDeployment(desired, stored(), "s").counts).toEqual({ create: 0, update: 0, unchanged: 5, blocked: 0, delete: 0 });
  });

  it("--allow-replace on a member moves the initiative to <name>-v2; the old definition is deleted last", () => {
    const current = stored();
    const params = current.definitions[1]?.properties.parameters as Record<string, Record<string, unknown>>;
    if (params.message) params.message.type = "Array";
    const plan = planDeployment(desired, current, "s", { owner: "default", prune: false, allowReplace: true });
    expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name}`)).toEqual([
      "unchanged definition allowed-registries",
      "create definition k8s-gcr-deprecation-v2",
      "update setDefinition trusted-images",
      "unchanged assignment trusted-images",
      "unchanged exemption waiver",
      "delete definition k8s-gcr-deprecation",
    ]);
    expect(plan.items[2]?.changes.map((c) => c.path)).toEqual(["policyDefinitions[1].policyDefinitionId"]);
  });

  it("an exemption of the same name not made by azpol is blocked, not taken over", () => {
    const current = stored();
    const e = current.exemptions?.[0];
    if (e) e.properties.metadata = {};
    expect(planDeployment(desired, current, "s").items.at(-1)).toMatchObject({ kind: "exemption", action: "blocked", blocked: [expect.stringMatching(/exemption with this name exists but was not made by azpol/)] });
  });
});

describe("apply", () => {
  /** failOn: the write ARM refuses; hangOn: the write ARM never answers */
  function memoryPort(failOn: string, hangOn = ""): { port: ArmPort; calls: string[] } {
    const calls: string[] = [];
    const ok = (what: string) => {
      calls.push(what);
      if (what === hangOn) return new Promise<never>(() => undefined);
      if (what === failOn) throw new AzureError("InvalidPolicyRule", `${what} refused`, { statusCode: 400 });
      return Promise.resolve({ id: "", name: "", properties: {} });
    };
    const port = {
      putDefinition: (_l: unknown, n: string) => ok(`put definition ${n}`),
      putSetDefinition: (_l: unknown, n: string) => ok(`put setDefinition ${n}`),
      putAssignment: (_s: unknown, n: string) => ok(`put assignment ${n}`),
      putExemption: (_s: string, n: string) => ok(`put exemption ${n}`),
      deleteDefinition: (_l: unknown, n: string) => ok(`delete definition ${n}`).then(() => undefined),
      deleteSetDefinition: (_l: unknown, n: string) => ok(`delete setDefinition ${n}`).then(() => undefined),
      deleteAssignment: (_s: unknown, n: string) => ok(`delete assignment ${n}`).then(() => undefined),
      deleteExemption: (_s: string, n: string) => ok(`delete exemption ${n}`).then(() => undefined),
    } as unknown as ArmPort;
    return { port, calls };
  }

  it("a member that fails skips the initiative, its assignment and its exemption, each saying why", async () => {
    const plan = planDeployment(desired, { definitions: [], assignments: [] }, "s");
    const { port, calls } = memoryPort("put definition k8s-gcr-deprecation");
    const outcomes = await applyPlan(plan, port, undefined, 1);
    expect(calls).toEqual(["put definition allowed-registries", "put definition k8s-gcr-deprecation"]);
    expect(outcomes.map((o) => `${o.status} ${o.kind} ${o.name}${o.reason ? `: ${o.reason}` : ""}`)).toEqual([
      "done definition allowed-registries",
      "failed definition k8s-gcr-deprecation",
      "skipped setDefinition trusted-images: its member definition k8s-gcr-deprecation was not written",
      "skipped assignment trusted-images: its initiative was not written",
      "skipped exemption waiver: its assignment was not written",
    ]);
  });

  it("prune deletes exemptions, then assignments, then initiatives, then definitions", async () => {
    const empty = desiredState([], scope, () => ({}), "Default", "default", []);
    const current = stored();
    for (const list of [current.definitions, current.setDefinitions ?? [], current.assignments, current.exemptions ?? []]) for (const r of list) (r.properties.metadata as Record<string, unknown>).managedBy = "azpol";
    const plan = planDeployment(empty, current, "s", { owner: "default", prune: true });
    const { port, calls } = memoryPort("");
    await applyPlan(plan, port, undefined, 1);
    expect(calls).toEqual(["delete exemption waiver", "delete assignment trusted-images", "delete setDefinition trusted-images", "delete definition allowed-registries", "delete definition k8s-gcr-deprecation"]);
  });

  it("--deadline: a write that never answers fails with DeadlineExceeded and everything after it is skipped, whatever the load", async () => {
    // decided by outcome, not by elapsed time: the hung write can only end by the budget, and once
    // the budget has beaten a write no later item may start
    const plan = planDeployment(desired, { definitions: [], assignments: [] }, "s");
    const { port, calls } = memoryPort("", "put definition allowed-registries");
    const outcomes = await applyPlan(plan, port, undefined, 1, deadlineIn(20, "the --deadline of 0.02 s"));
    expect(calls).toEqual(["put definition allowed-registries"]);
    expect(outcomes.map((o) => `${o.status} ${o.kind} ${o.name} ${o.error?.code ?? o.reason ?? ""}`.trim())).toEqual([
      "failed definition allowed-registries DeadlineExceeded",
      "skipped definition k8s-gcr-deprecation the --deadline passed before it started",
      "skipped setDefinition trusted-images the --deadline passed before it started",
      "skipped assignment trusted-images the --deadline passed before it started",
      "skipped exemption waiver the --deadline passed before it started",
    ]);
  });
});
