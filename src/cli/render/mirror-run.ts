// What mirror prints: the plan (cache rules, imports, what the registry already serves), the az
// commands that carry it out (without --apply), and what --apply did. JSON replaces all of it.
import type { MirrorOutcome } from "../../actions/mirror.js";
import type { MirrorEvent } from "../../mirror/apply-mirror.js";
import type { Output } from "../output.js";

/** The plan for people; `applying`: it is about to be applied (so no az commands to run, and existing tags are left alone). */
export function renderMirrorPlan(output: Output, outcome: Omit<MirrorOutcome, "applied">, registry: string, applying: boolean): void {
  const { plan, denied, azCommands } = outcome;
  output.out(`${denied.length} denied image(s) to mirror into ${registry}: ${plan.cacheRules.length} cache rule(s), ${plan.imports.length} import(s)${plan.upToDate.length ? `, ${plan.upToDate.length} already in the registry (served by its cache rules or imported)` : ""}`);
  if (outcome.contentCheck?.problem) output.err(`could not read what ${registry} holds (${outcome.contentCheck.problem}); the imports not found are planned, and sent NoForce, which never overwrites a tag`);
  for (const r of plan.cacheRules) output.out(`  cache rule ${r.name}: ${r.sourceRepository} → ${registry}/${r.targetRepository} (${r.images.length} image(s))${r.credentialSet ? `, pulling with credential set ${r.credentialSet}` : ""}`);
  for (const i of plan.imports) output.out(`  import ${i.source} → ${registry}/${i.target}: ${i.why}${applying ? " (an existing tag is left alone)" : ""}`);
  for (const u of plan.unreadable) output.err(`cannot read ${JSON.stringify(u)} as an image reference: mirror it by hand`);
  if (!applying && azCommands.length) output.out(`\nrun:\n${azCommands.map((c) => `  ${c}`).join("\n")}\nthen: azpol fix --to ${registry}`);
}

/** One step of --apply as it starts (stderr) and ends (stdout). */
export function renderMirrorEvent(output: Output, e: MirrorEvent): void {
  if (e.type === "start") output.err(`  ${e.step.kind === "cacheRule" ? "creating cache rule" : "importing"} ${e.step.name}...`);
  else output.out(e.step.result === "present" ? `already present ${e.step.target}` : `${e.step.result} ${e.step.kind === "cacheRule" ? `cache rule ${e.step.name}` : e.step.name} → ${e.step.target}`);
}

/** The outcome: JSON on stdout, or (after --apply) what to do next on stderr. */
export function renderMirrorOutcome(output: Output, outcome: MirrorOutcome, registry: string, json: boolean): void {
  const { plan, target, applied } = outcome;
  if (applied === undefined || !target) {
    if (json) output.out(JSON.stringify({ ...plan, azCommands: outcome.azCommands }, null, 2));
    else renderMirrorPlan(output, outcome, registry, false);
    return;
  }
  if (json) output.out(JSON.stringify({ ...plan, registryId: target.id, contentCheck: outcome.contentCheck, applied }, null, 2));
  else if (applied.length === 0) output.err(`nothing to change in ${target.name}; next: azpol fix --to ${registry}`);
  else output.err(`applied ${applied.length} change(s); next: azpol fix --to ${registry}`);
}
