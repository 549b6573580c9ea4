// The definition source for any ConstraintTemplate (pure): names and text from the template's
// own annotations (gatekeeper-library's metadata.gatekeeper.sh/title and description), every
// schema property as a parameter, effect Audit (report first; switch to Deny once clean).
import { stringify } from "yaml";
import { asRecord, type ConstraintTemplate } from "../core/constraint-template.js";
import type { TemplateSource } from "../model/definition-source.js";
import { DEFAULT_EXCLUDED_NAMESPACES } from "../core/policy-model.js";
import type { ProposedKinds } from "./propose-kinds.js";
import { constraintTemplateParameters } from "./constraint-template-parameters.js";

export interface SourceFromTemplate {
  text: string;
  name: string;
  skipped: string[];
  renamed: string[];
}

export function sourceFromTemplate(template: ConstraintTemplate, options: { name?: string | undefined; template: TemplateSource; kinds: ProposedKinds; origin: string }): SourceFromTemplate {
  const annotations = asRecord(asRecord(template.object.metadata)?.annotations) ?? {};
  const title = typeof annotations["metadata.gatekeeper.sh/title"] === "string" ? annotations["metadata.gatekeeper.sh/title"] : template.kind;
  const described = typeof annotations.description === "string" && annotations.description.trim() ? annotations.description.trim().replace(/\s+/g, " ") : `Enforces the ${template.kind} Gatekeeper ConstraintTemplate on Kubernetes clusters.`;
  const { parameters, skipped, renamed } = constraintTemplateParameters(template.parameters);
  const name = options.name ?? template.name;
  const header = [
    `# Made by 'azpol new --from-template' from ${options.origin.replace(/[\r\n]/g, "?")}.`,
    `# kinds: ${options.kinds.from === "default" ? "Pods and every workload (no --kinds, no samples)" : `from ${options.kinds.from}`}; effect: Audit until it reports clean.`,
    ...skipped.map((s) => `# not mapped: ${s}`),
    ...renamed.map((r) => `# renamed: ${r}`),
  ].join("\n");
  const body = {
    name,
    displayName: title,
    description: described,
    version: "1.0.0",
    category: "Kubernetes",
    template: options.template,
    effect: "Audit",
    excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES,
    apiGroups: options.kinds.apiGroups,
    kinds: options.kinds.kinds,
    ...(Object.keys(parameters).length ? { parameters } : {}),
  };
  return { text: `${header}\n${stringify(body, { lineWidth: 100 })}`, name, skipped, renamed };
}
