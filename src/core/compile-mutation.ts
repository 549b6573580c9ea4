// A definition source whose template.path names a Gatekeeper mutator → MutationModel (pure).
// What Azure allows with details.mutationInfo (learn.microsoft.com effect-mutate): no apiGroups,
// kinds, constraint or constraintTemplate, nothing parameterised; what Microsoft's mutation
// built-ins carry (MutateContainerAllowedCapabilitiesContainers.json, 1.1.0-preview): effect
// Mutate|Disabled (default Mutate), details.source, mutationInfo and excludedNamespaces, AKS only.
import type { DefinitionSource } from "../model/definition-source.js";
import type { DiagnosticCode, Severity } from "../model/diagnostics.js";
import { templateInfoFor, type PolicyParameter } from "./policy-model.js";
import { MUTATION_EFFECTS, type MutationModel } from "./mutation-model.js";
import type { Mutator } from "./mutator.js";
import { detailsParameters, effectDescription } from "./standard-parameters.js";
import { gatekeeperYamlDigest } from "./gatekeeper-yaml-digest.js";

type Report = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

/** the namespaces Microsoft's mutation built-ins exclude by default */
export const MUTATION_EXCLUDED_NAMESPACES = ["kube-system", "gatekeeper-system", "azure-arc"];
export const MUTATION_CLUSTER_TYPES = ["Microsoft.ContainerService/managedClusters"];

// fields a Mutate definition cannot carry, and why
const REFUSED: Array<[keyof DefinitionSource, string]> = [
  ["apiGroups", "Azure does not allow apiGroups with mutationInfo; the mutator's spec.applyTo and spec.match.kinds say what it changes"],
  ["kinds", "Azure does not allow kinds with mutationInfo; the mutator's spec.applyTo and spec.match.kinds say what it changes"],
  ["parameters", "a mutation cannot be parameterised (Azure's effect-mutate doc); write the values into the mutator"],
  ["values", "a mutation has no template parameters to pass values to; write them into the mutator"],
  ["namespaces", "Microsoft's mutation built-ins pass only excludedNamespaces, and what the add-on does with namespaces on a mutator is unconfirmed; use spec.match.namespaces in the mutator"],
  ["labelSelector", "what the add-on does with labelSelector on a mutator is unconfirmed; use spec.match.labelSelector in the mutator"],
  ["warn", "Gatekeeper mutators do not warn (details.warn is for ConstraintTemplate definitions)"],
  ["replacements", "replacements are for azpol fix on images a ConstraintTemplate denies; a mutator changes images itself"],
];

export function checkMutationSource(source: DefinitionSource, mutator: Mutator, report: Report): void {
  for (const [field, why] of REFUSED) if (source[field] !== undefined) report("AZP2051", `/${field}`, `${field}: ${why}`);
  const effects = source.effects ?? [...MUTATION_EFFECTS];
  effects.forEach((e, i) => {
    if (!MUTATION_EFFECTS.some((m) => m.toLowerCase() === e.toLowerCase())) report("AZP2052", `/effects/${i}`, `effect ${JSON.stringify(e)} cannot go with a mutator; a Mutate definition lists Mutate and Disabled`);
  });
  if (!effects.some((e) => e.toLowerCase() === "mutate")) report("AZP2052", source.effects ? "/effects" : "/effect", "a mutator needs the effect Mutate among the effects");
  if (source.effect !== undefined && !effects.includes(source.effect)) {
    report("AZP2052", "/effect", `effect ${JSON.stringify(source.effect)} is not among the effects ${JSON.stringify(effects)} (Azure compares them case-sensitively); a Mutate definition defaults to Mutate`);
  }
  if (source.template.source === "PublicURL") {
    const digest = gatekeeperYamlDigest(mutator.text);
    if (source.template.sha256 === undefined) {
      report("AZP3011", "/template", `record the mutator's sha256 so validate --online and deploy can check that the URL serves the mutator tested here: add 'sha256: ${digest}' under template (azpol publish --write does it)`, "warning");
    } else if (source.template.sha256 !== digest) {
      report("AZP3010", "/template/sha256", `the local mutator's sha256 is ${digest}, not the recorded ${source.template.sha256}: it changed since it was published; publish it again or restore it`);
    }
  }
  if (mutator.kind === "AssignImage") {
    report("AZP3015", "/template/path", "AssignImage: Azure's docs say the add-on installs Assign, AssignMetadata and ModifySet; whether it installs AssignImage from a policy is unconfirmed", "warning");
  }
  const arc = (source.clusterTypes ?? MUTATION_CLUSTER_TYPES).filter((t) => t !== "Microsoft.ContainerService/managedClusters");
  if (arc.length) report("AZP3015", "/clusterTypes", `${arc.join(", ")}: Microsoft's mutation built-ins target AKS only; whether ${arc.length > 1 ? "these run" : "this runs"} mutation is unconfirmed`, "warning");
}

export function buildMutationModel(source: DefinitionSource, mutator: Mutator, sourceFile: string): Omit<MutationModel, "exemptions"> {
  const effects = source.effects ?? [...MUTATION_EFFECTS];
  const parameters: Record<string, PolicyParameter> = {
    ...detailsParameters(source),
    effect: {
      type: "String",
      metadata: { displayName: "Effect", description: effectDescription(effects) },
      allowedValues: [...effects],
      defaultValue: source.effect ?? effects.find((e) => e.toLowerCase() === "mutate") ?? "Mutate",
    },
    excludedNamespaces: {
      type: "Array",
      metadata: { displayName: "Namespace exclusions", description: "List of Kubernetes namespaces to exclude from policy evaluation." },
      defaultValue: source.excludedNamespaces ?? MUTATION_EXCLUDED_NAMESPACES,
    },
  };
  const mutationInfo = templateInfoFor(source.template, mutator.text);
  return {
    name: source.name,
    displayName: source.displayName,
    description: source.description,
    version: source.version ?? "1.0.0",
    category: source.category ?? "Kubernetes",
    parameters,
    mutationInfo,
    mutator,
    clusterTypes: [...(source.clusterTypes ?? MUTATION_CLUSTER_TYPES)],
    detailsParameters: source.source !== undefined ? ["source"] : [],
    ...(source.preview !== undefined ? { preview: source.preview } : {}),
    ...(source.deprecated !== undefined ? { deprecated: source.deprecated } : {}),
    versioned: source.versioned === true,
    sourceFile,
  };
}

