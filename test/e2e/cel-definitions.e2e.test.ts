// Definitions whose template carries K8sNativeValidation (CEL) code: azpol test checks manifests
// with the engine Gatekeeper 3.19.1 picks (the CEL, by Gatekeeper's own k8scel driver) and says
// so; --engine rego overrides; validate compiles the CEL and reports an expression that does not.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-cel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition = `name: no-old-registries
displayName: No old registries
description: Blocks old registries.
template:
  path: ./template.yaml
  source: Base64Encoded
effect: Deny
excludedNamespaces: [kube-system]
parameters:
  blockedRegistries:
    type: Array
    default: [k8s.gcr.io]
    templateParameter: registries
`;

function withCel(expression: string): string {
  const rego = readFileSync(join(root, "constraint-templates", "disallowed-registries", "template.yaml"), "utf8");
  const cel = `      code:\n      - engine: K8sNativeValidation\n        source:\n          validations:\n          - expression: ${JSON.stringify(expression)}\n            messageExpression: "'from-cel: ' + object.metadata.name"\n      rego: |`;
  return rego.replace("      rego: |", cel);
}

beforeAll(() => {
  for (const [name, expression] of [
    ["good", "object.spec.containers.all(c, !c.image.startsWith(variables.params.registries[0] + '/'))"],
    ["broken", "object.spec.containers.all(c, c.image.nosuchfunction())"],
  ] as const) {
    mkdirSync(join(dir, name, "definitions", "no-old-registries"), { recursive: true });
    writeFileSync(join(dir, name, "definitions", "no-old-registries", "definition.yaml"), definition);
    writeFileSync(join(dir, name, "definitions", "no-old-registries", "template.yaml"), withCel(expression));
    writeFileSync(
      join(dir, name, "pods.yaml"),
      ["old", "new"]
        .map((n) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}, namespace: apps}\nspec: {containers: [{name: c, image: "${n === "old" ? "k8s.gcr.io" : "registry.k8s.io"}/pause:3.9"}]}\n`)
        .join("---\n"),
    );
  }
});

describe("definitions with CEL code", () => {
  it("checks manifests with the CEL, as Gatekeeper 3.19.1 would, and says which engine judged", () => {
    const r = azpol(["test", "pods.yaml", "--json"], { cwd: join(dir, "good") });
    const out = JSON.parse(r.stdout) as { engines: unknown[]; objects: { object: string; violations: { msg: string }[] }[] };
    expect(out.engines).toEqual([{ definition: "no-old-registries", template: "k8sazpoldisallowedregistries", engine: "CEL" }]);
    expect(out.objects.map((o) => [o.object, o.violations.map((v) => v.msg)])).toEqual([
      ["v1 Pod apps/old", ["from-cel: old"]],
      ["v1 Pod apps/new", []],
    ]);
    expect(r.status).toBe(1);
    const text = azpol(["test", "pods.yaml"], { cwd: join(dir, "good") });
    expect(text.stderr).toMatch(/no-old-registries: template k8sazpoldisallowedregistries is judged by its CEL code/);
  });

  it("--engine rego judges by the Rego instead", () => {
    const r = azpol(["test", "pods.yaml", "--json", "--engine", "rego"], { cwd: join(dir, "good") });
    const out = JSON.parse(r.stdout) as { engines: { engine: string }[]; objects: { violations: { msg: string }[] }[] };
    expect(out.engines[0]?.engine).toBe("Rego");
    expect(out.objects[0]?.violations[0]?.msg).toMatch(/k8s\.gcr\.io/);
    expect(out.objects[0]?.violations[0]?.msg).not.toMatch(/from-cel/);
  });

  it("validate compiles the CEL with Gatekeeper's driver and names a broken expression (AZP3007)", () => {
    const good = azpol(["validate"], { cwd: join(dir, "good") });
    expect(good.status).toBe(0);
    const broken = azpol(["validate", "--json"], { cwd: join(dir, "broken") });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/AZP3007/);
    expect(broken.stdout).toMatch(/nosuchfunction/);
  });
});
