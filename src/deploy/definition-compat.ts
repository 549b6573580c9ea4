// Which parameter changes ARM rejects on an existing definition (InvalidPolicyParameterUpdate):
// removing or retyping a parameter, or adding one without a default (terraform-provider-azurerm
// #13991). Pure.
type Params = Record<string, { type?: string; defaultValue?: unknown } | undefined>;

export function definitionBlocks(current: Record<string, unknown>, desired: Record<string, unknown>): string[] {
  const before = (current.parameters as Params | undefined) ?? {};
  const after = (desired.parameters as Params | undefined) ?? {};
  const reasons: string[] = [];
  for (const [name, p] of Object.entries(before)) {
    const next = after[name];
    if (!next) reasons.push(`parameter '${name}' would be removed; Azure rejects removing or renaming parameters (InvalidPolicyParameterUpdate). Keep it, or deploy under a new definition name`);
    else if (p?.type && next.type && p.type.toLowerCase() !== next.type.toLowerCase()) reasons.push(`parameter '${name}' would change type ${p.type} → ${next.type}; Azure rejects that (InvalidPolicyParameterUpdate)`);
  }
  for (const [name, p] of Object.entries(after)) {
    if (!(name in before) && p?.defaultValue === undefined) reasons.push(`parameter '${name}' is new and has no default; Azure requires a defaultValue for parameters added to an existing (possibly assigned) definition`);
  }
  return reasons;
}
