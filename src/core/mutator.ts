// A Gatekeeper mutator as azpol needs it: the file a Mutate definition's details.mutationInfo
// points to (Azure's docs call it the "mutation template"). Gatekeeper 3.20.1 has four kinds
// (pkg/gator/expand/expand.go mutatorKinds; apis/mutations): Assign, AssignMetadata, ModifySet,
// AssignImage, in the group mutations.gatekeeper.sh. This checks the shape every kind shares;
// Gatekeeper's own code (the native engine's mutate op) checks the rest, as the cluster would.
import { asRecord } from "./constraint-template.js";

export const MUTATIONS_GROUP = "mutations.gatekeeper.sh";
export const MUTATOR_KINDS = ["Assign", "AssignMetadata", "ModifySet", "AssignImage"] as const;
export type MutatorKind = (typeof MUTATOR_KINDS)[number];
/** the versions 3.20.1 serves each kind in (apis/mutations/v1, v1beta1, v1alpha1: AssignImage is only in v1alpha1) */
const VERSIONS: Record<MutatorKind, string[]> = { Assign: ["v1", "v1beta1", "v1alpha1"], AssignMetadata: ["v1", "v1beta1", "v1alpha1"], ModifySet: ["v1", "v1beta1", "v1alpha1"], AssignImage: ["v1alpha1"] };

export interface Mutator {
  kind: MutatorKind;
  name: string;
  /** spec.location: what the mutator changes */
  location: string;
  /** the mutator object as read, for Gatekeeper's own mutation code */
  object: Record<string, unknown>;
  /** the YAML text as read, for Base64Encoded mutationInfo and the sha256 */
  text: string;
}

/** Does the document claim to be a Gatekeeper mutator (its apiVersion is in the mutations group)? */
export function isMutatorDocument(data: unknown): boolean {
  const apiVersion = asRecord(data)?.apiVersion;
  return typeof apiVersion === "string" && apiVersion.startsWith(`${MUTATIONS_GROUP}/`);
}

/** The mutator, or the reasons it is not one Gatekeeper would accept. */
export function readMutator(data: unknown, text: string): Mutator | string[] {
  const problems: string[] = [];
  const object = asRecord(data);
  if (!object) return ["the file is not a YAML object"];
  const apiVersion = String(object.apiVersion);
  const version = apiVersion.slice(MUTATIONS_GROUP.length + 1);
  const kind = MUTATOR_KINDS.find((k) => k === object.kind);
  if (!kind) problems.push(`kind ${JSON.stringify(object.kind)} is not a Gatekeeper mutator; use one of ${MUTATOR_KINDS.join(", ")}`);
  else if (!apiVersion.startsWith(`${MUTATIONS_GROUP}/`) || !VERSIONS[kind].includes(version)) {
    problems.push(`apiVersion ${JSON.stringify(object.apiVersion)} does not serve ${kind} in Gatekeeper 3.20.1; use ${MUTATIONS_GROUP}/${VERSIONS[kind][0]}`);
  }
  const name = asRecord(object.metadata)?.name;
  if (typeof name !== "string" || name === "") problems.push("metadata.name is missing");
  const spec = asRecord(object.spec);
  const location = spec?.location;
  if (typeof location !== "string" || location === "") problems.push("spec.location is missing: it says what the mutator changes");
  if (kind === "AssignMetadata" && typeof location === "string" && !/^metadata\.(labels|annotations)\./.test(location)) {
    problems.push(`spec.location ${JSON.stringify(location)}: AssignMetadata can only add metadata.labels.<key> or metadata.annotations.<key>`);
  }
  // Assign, ModifySet and AssignImage say which kinds they may change (applyTo); Gatekeeper refuses one without
  if (kind && kind !== "AssignMetadata" && !(Array.isArray(spec?.applyTo) && spec.applyTo.length > 0)) {
    problems.push(`spec.applyTo is missing: ${kind} must list the groups, versions and kinds it applies to`);
  }
  if (problems.length || !kind || typeof name !== "string" || typeof location !== "string") return problems;
  return { kind, name, location, object, text };
}
