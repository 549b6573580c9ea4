// Writes the generated corpus: one folder per family with template.yaml, constraint.yaml, the
// objects, an expansion and inventory where the family has them, and suite.yaml.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { celFamilies } from "./families-cel.js";
import { regoFamilies } from "./families-rego.js";
import { suiteFamilies } from "./families-suite.js";
import type { Family, Obj } from "./model.js";

export const FAMILIES: Family[] = [...regoFamilies, ...celFamilies, ...suiteFamilies];

export function templateOf(f: Family): Obj {
  const target: Obj = { target: "admission.k8s.gatekeeper.sh" };
  const code: Obj[] = [];
  if (f.rego !== undefined && !f.regoV1) {
    target.rego = f.rego;
    if (f.libs) target.libs = f.libs;
  }
  if (f.rego !== undefined && f.regoV1) code.push({ engine: "Rego", source: { rego: f.rego, version: "v1", ...(f.libs ? { libs: f.libs } : {}) } });
  if (f.cel) code.push({ engine: "K8sNativeValidation", source: f.cel });
  if (code.length) target.code = code;
  const name = f.kind.toLowerCase();
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name, ...(f.annotations ? { annotations: f.annotations } : {}) },
    spec: {
      crd: { spec: { names: { kind: f.kind }, validation: { openAPIV3Schema: { type: "object", properties: f.schema ?? {} } } } },
      targets: [target],
    },
  };
}

const constraintOf = (f: Family, parameters: Obj | undefined): Obj => ({
  apiVersion: "constraints.gatekeeper.sh/v1beta1",
  kind: f.kind,
  metadata: { name: `${f.kind.toLowerCase()}-c` },
  spec: {
    ...(f.enforcementAction ? { enforcementAction: f.enforcementAction } : {}),
    ...(f.match ? { match: f.match } : {}),
    ...(parameters ? { parameters } : {}),
  },
});

/** Writes every family under dir; returns the suite files. Odd families are written as JSON. */
export function writeCorpus(dir: string): string[] {
  const suites: string[] = [];
  FAMILIES.forEach((f, n) => {
    const folder = join(dir, f.kind.toLowerCase());
    mkdirSync(join(folder, "objects"), { recursive: true });
    const write = (file: string, value: unknown) => writeFileSync(join(folder, file), n % 2 ? `${JSON.stringify(value, null, 1)}\n` : stringify(value));
    write("template.yaml", templateOf(f));
    write("constraint.yaml", constraintOf(f, f.parameters));
    if (f.invalidParameters) write("constraint-invalid.yaml", constraintOf(f, f.invalidParameters));
    if (f.expansion) write("expansion.yaml", { apiVersion: "expansion.gatekeeper.sh/v1alpha1", kind: "ExpansionTemplate", metadata: { name: `expand-${f.kind.toLowerCase()}` }, spec: f.expansion });
    const cases = f.cases.map((c) => {
      write(`objects/${c.name}.yaml`, c.object);
      const inventory = (c.inventory ?? []).map((o, i) => {
        write(`objects/${c.name}-inventory-${i}.yaml`, o);
        return `objects/${c.name}-inventory-${i}.yaml`;
      });
      return { name: c.name, object: `objects/${c.name}.yaml`, ...(inventory.length ? { inventory } : {}), ...(c.skip ? { skip: true } : {}), assertions: c.assertions };
    });
    const tests: Obj[] = [
      { name: f.kind.toLowerCase(), template: "template.yaml", constraint: "constraint.yaml", ...(f.expansion ? { expansion: "expansion.yaml" } : {}), ...(f.skipTest ? { skip: true } : {}), cases },
    ];
    if (f.invalidParameters) tests.push({ name: `${f.kind.toLowerCase()}-invalid`, template: "template.yaml", constraint: "constraint-invalid.yaml", invalid: true });
    writeFileSync(join(folder, "suite.yaml"), stringify({ kind: "Suite", apiVersion: "test.gatekeeper.sh/v1alpha1", metadata: { name: f.kind.toLowerCase() }, tests }));
    suites.push(join(folder, "suite.yaml"));
  });
  return suites;
}

/** The same suite with each case's assertions replaced: exactly these messages, this often. */
export function pinnedSuite(suiteText: Obj, messages: Map<string, string[]>): Obj {
  const tests = (suiteText.tests as Obj[]).map((t) => ({
    ...t,
    ...(Array.isArray(t.cases)
      ? {
          cases: (t.cases as Obj[]).flatMap((c) => {
            const msgs = messages.get(c.name as string);
            if (msgs === undefined) return [];
            const counts = new Map<string, number>();
            for (const m of msgs) counts.set(m, (counts.get(m) ?? 0) + 1);
            return [{ ...c, skip: false, assertions: [{ violations: msgs.length }, ...[...counts].map(([m, k]) => ({ violations: k, message: `^${quoteMeta(m)}$` }))] }];
          }),
        }
      : {}),
  }));
  return { ...suiteText, skip: false, tests: tests.filter((t) => !Array.isArray(t.cases) || t.cases.length > 0).map((t) => ({ ...t, skip: false })) };
}

/** Go's regexp.QuoteMeta: every character RE2 treats specially, escaped. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
