// What mirror prints: the plan (cache rules, imports, what the registry already serves), the az
// commands that carry it out (without --apply), and what --apply did. JSON replaces all of it.
import type { MirrorOutcome } from "../../actions/mirror.js";
import type { MirrorEvent } from "../../mirror/apply-mirror.js";
import type { Output } from "../output.js";
import { renderNotRead } from "./not-read.js";

/** The plan for people; `applying`: it is about to be applied (so no az commands to run, and existing tags are left alone). */
export function renderMirrorPlan(output: Output, outcome: Omit<MirrorOutcome, "applied">, registry: string, applying: boolean): void {
  const { plan, denied, azCommands } = outcome;
  if (outcome.source !== "files") output.err(`read from ${outcome.source}${outcome.excluded ? `; ${outcome.excluded} excluded workload(s) (their images are not mirrored)` : ""}`);
  renderNotRead(output, outcome.skipped);
  for (const p of outcome.problems) output.err(`warning: ${p}`);
  const extra = [plan.credentialSets.length ? `${plan.credentialSets.length} credential set(s)` : "", plan.deletes.length ? `${plan.deletes.length} cache rule(s) to delete` : ""].filter(Boolean);
  output.out(`${denied.length} denied image(s) to mirror into ${registry}: ${plan.cacheRules.length} cache rule(s), ${plan.imports.length} import(s)${extra.length ? `, ${extra.join(", ")}` : ""}${plan.upToDate.length ? `, ${plan.upToDate.length} already in the registry (served by its cache rules or imported)` : ""}`);
  for (const c of plan.credentialSets) output.out(`  credential set ${c.name}: ${c.loginServer}, user name ${c.usernameSecret}, password ${c.passwordSecret}`);
  for (const c of plan.credentialSetsPresent) output.err(`the registry already has credential set ${c.name} for ${c.loginServer}: not created again`);
  if (outcome.contentCheck?.problem) output.err(`could not read what ${registry} holds (${outcome.contentCheck.problem}); the imports not found are planned, and sent NoForce, which never overwrites a tag`);
  for (const r of plan.cacheRules) output.out(`  cache rule ${r.name}: ${r.sourceRepository} → ${registry}/${r.targetRepository} (${r.images.length} image(s))${r.credentialSet ? `, pulling with credential set ${r.credentialSet}` : ""}`);
  for (const i of plan.imports) output.out(`  import ${i.source} → ${registry}/${i.target}: ${i.why}${applying ? " (an existing tag is left alone)" : ""}`);
  for (const d of plan.deletes) output.out(`  delete cache rule ${d.name} (${d.sourceRepository}): azpol made it and no image of this run needs it`);
  if (outcome.pruneSkipped) output.err(`--prune: ${outcome.pruneSkipped}`);
  for (const u of plan.unreadable) output.err(`cannot read ${JSON.stringify(u)} as an image reference: mirror it by hand`);
  if (!applying && azCommands.length) output.out(`\nrun:\n${azCommands.map((c) => `  ${c}`).join("\n")}\nthen: azpol fix --to ${registry}`);
}

/** One step of --apply as it starts (stderr) and ends (stdout). */
const DOING = { credentialSet: "creating credential set", cacheRule: "creating cache rule", import: "importing", deleteCacheRule: "deleting cache rule" } as const;

export function renderMirrorEvent(output: Output, e: MirrorEvent): void {
  const { step } = e;
  if (e.type === "start") return output.err(`  ${DOING[step.kind]} ${step.name}...`);
  const s = e.step;
  if (s.result === "present") output.out(`already present ${s.target}`);
  else if (s.kind === "deleteCacheRule") output.out(`deleted cache rule ${s.name} (${s.target})`);
  else if (s.kind === "credentialSet") {
    output.out(`created credential set ${s.name} for ${s.target}`);
    output.err(`  its identity${s.principalId ? ` (principal ${s.principalId})` : ""} must be able to read the two Key Vault secrets, e.g. the "Key Vault Secrets User" role on the vault`);
  } else output.out(`${s.result} ${s.kind === "cacheRule" ? `cache rule ${s.name}` : s.name} → ${s.target}`);
}

/** The outcome: JSON on stdout, or (after --apply) what to do next on stderr. */
export function renderMirrorOutcome(output: Output, outcome: MirrorOutcome, registry: string, json: boolean): void {
  const { plan, target, applied } = outcome;
  if (applied === undefined || !target) {
    if (json) output.out(JSON.stringify({ source: outcome.source, problems: outcome.problems, skipped: outcome.skipped, ...plan, azCommands: outcome.azCommands }, null, 2));
    else renderMirrorPlan(output, outcome, registry, false);
    return;
  }
  if (json) output.out(JSON.stringify({ source: outcome.source, problems: outcome.problems, skipped: outcome.skipped, ...(outcome.pruneSkipped ? { pruneSkipped: outcome.pruneSkipped } : {}), ...plan, registryId: target.id, contentCheck: outcome.contentCheck, applied }, null, 2));
  else if (applied.length === 0) output.err(`nothing to change in ${target.name}; next: azpol fix --to ${registry}`);
  else output.err(`applied ${applied.length} change(s); next: azpol fix --to ${registry}`);
}
