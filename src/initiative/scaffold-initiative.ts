// `azpol new --initiative`: an initiative.yaml for existing definitions. Every member parameter is
// passed through under its own name, except where two members declare one name differently (the
// shipped presets' 'message'): those get one initiative parameter per member, <referenceId><Name>,
// wired explicitly, so the scaffold validates as written. Pure.
import { stringify } from "yaml";
import type { PolicyModel, PolicyParameter } from "../core/policy-model.js";

const same = (a: PolicyParameter, b: PolicyParameter) => (["type", "allowedValues", "defaultValue", "schema"] as const).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

/** allowed-registries → allowedRegistries: the usual spelling of reference ids. */
export function referenceIdFor(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  return id === "" ? name : id;
}

function declaration(p: PolicyParameter, displayName: string): Record<string, unknown> {
  const out: Record<string, unknown> = { type: p.type, displayName, description: p.metadata.description };
  if (p.allowedValues !== undefined) out.allowedValues = p.allowedValues;
  if (p.defaultValue !== undefined) out.default = p.defaultValue;
  if (p.schema !== undefined) out.schema = p.schema;
  return out;
}

export interface Scaffold {
  text: string;
  /** parameters given one initiative parameter per member, as "<member>.<parameter> → <initiative parameter>" */
  split: string[];
}

export function scaffoldInitiative(name: string, members: PolicyModel[], displayName?: string): Scaffold {
  const conflicting = new Set<string>();
  const first = new Map<string, PolicyParameter>();
  for (const m of members) {
    for (const [p, decl] of Object.entries(m.parameters)) {
      const seen = first.get(p);
      if (seen && !same(seen, decl)) conflicting.add(p);
      if (!seen) first.set(p, decl);
    }
  }
  const parameters: Record<string, unknown> = {};
  const split: string[] = [];
  const definitions = members.map((m) => {
    const referenceId = referenceIdFor(m.name);
    const wiring: Record<string, string> = {};
    for (const [p, decl] of Object.entries(m.parameters)) {
      if (!conflicting.has(p)) continue;
      const own = `${referenceId}${p.charAt(0).toUpperCase()}${p.slice(1)}`;
      parameters[own] = declaration(decl, `${decl.metadata.displayName} (${m.name})`);
      wiring[p] = `[parameters('${own}')]`;
      split.push(`${m.name}.${p} → ${own}`);
    }
    return { definition: m.name, referenceId, ...(Object.keys(wiring).length ? { parameters: wiring } : {}) };
  });
  const source = {
    name,
    displayName: displayName ?? `${members.map((m) => m.displayName).join("; ")}`.slice(0, 128),
    description: `Assigns ${members.map((m) => m.name).join(", ")} as one initiative.`.slice(0, 512),
    version: "1.0.0",
    category: members[0]?.category ?? "Kubernetes",
    ...(Object.keys(parameters).length ? { parameters } : {}),
    definitions,
  };
  const header = [
    `# Initiative scaffolded by 'azpol new --initiative ${name}'.`,
    "# Member parameters not listed under a member are passed through under their own names;",
    "# parameters the members declare differently get one initiative parameter per member.",
    "# exemptions: (see the README's Exemptions) can be added below.",
  ].join("\n");
  return { text: `${header}\n${stringify(source, { lineWidth: 0 })}`, split };
}
