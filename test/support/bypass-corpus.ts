// Reads constraint-templates/*/bypass.yaml and turns each entry into a workload object.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { workload, type ContainerField } from "./workloads.js";
import type { KubeObject } from "../../src/rego/kubernetes-object.js";

export interface BypassCase {
  image: string;
  expect: "deny" | "allow";
  why: string;
  kind?: string;
  field?: ContainerField;
}

export interface BypassCorpus {
  file: string;
  templateFile: string;
  parameters: Record<string, unknown>;
  cases: (BypassCase & { object: KubeObject })[];
}

export const CORPUS_FILES = ["constraint-templates/disallowed-registries/bypass.yaml", "constraint-templates/allowed-registries/bypass.yaml"];

export function readCorpus(root: string, file: string): BypassCorpus {
  const doc = parse(readFileSync(join(root, file), "utf8")) as { template: string; filler: string; parameters: Record<string, unknown>; cases: BypassCase[] };
  return {
    file,
    templateFile: join(root, dirname(file), doc.template),
    parameters: doc.parameters,
    cases: doc.cases.map((c, i) => ({ ...c, object: workload(c.kind ?? "Pod", c.field ?? "containers", c.image, `case-${i}`, doc.filler) })),
  };
}
