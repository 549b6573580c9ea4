// AZP2035-AZP2037: the exemptions a source declares. Names follow ARM's resource-name rules and
// are unique; category is Waiver or Mitigated (the schema); expiresOn is an ISO 8601 date-time
// (a past one warns: Azure stops honouring it, and deploy does not create it); scope is a
// resource group name or an ARM id; referenceIds name members of the initiative (initiatives
// only). Pure: `now` comes from the caller.
import { joinPointer, type DiagnosticCode, type Severity } from "../model/diagnostics.js";
import { readableTextProblem } from "../model/safe-name.js";
import { definitionNameProblem, LIMITS } from "../model/azure-limits.js";
import type { ExemptionModel, ExemptionSource } from "../model/exemption-source.js";
import { parseStrictDate } from "./strict-date.js";

type Report = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

// ISO 8601 as ARM takes it: a date, or a date-time with a zone (Z or ±hh:mm)
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/u;
const ARM_SCOPE = /^\/(?:subscriptions\/[0-9a-f-]{36}(?:\/resourceGroups\/[^/]+(?:\/providers\/[^/]+\/[^/]+\/[^/]+)?)?|providers\/Microsoft\.Management\/managementGroups\/[^/]+)$/i;

export interface ExemptionContext {
  /** the initiative's policyDefinitionReferenceIds; undefined for a definition source */
  referenceIds: string[] | undefined;
  now: Date;
}

export function compileExemptions(exemptions: ExemptionSource[] | undefined, ctx: ExemptionContext, report: Report): ExemptionModel[] {
  const out: ExemptionModel[] = [];
  const names = new Map<string, number>();
  (exemptions ?? []).forEach((e, i) => {
    const at = (...rest: string[]) => joinPointer("exemptions", i, ...rest);
    let ok = true;
    const nameProblem = definitionNameProblem(e.name);
    if (nameProblem) {
      report("AZP2035", at("name"), `exemption ${nameProblem}`);
      ok = false;
    }
    const first = names.get(e.name.toLowerCase());
    if (first !== undefined) {
      report("AZP2035", at("name"), `exemption name ${JSON.stringify(e.name)} is already used at /exemptions/${first} (Azure names ignore case); rename one`);
      ok = false;
    } else names.set(e.name.toLowerCase(), i);
    for (const field of ["displayName", "description"] as const) {
      const problem = readableTextProblem(e[field]);
      if (problem) {
        report("AZP2024", at(field), `exemption ${field} ${problem}`);
        ok = false;
      }
    }
    if ((e.displayName ?? "").length > LIMITS.displayName) {
      report("AZP2011", at("displayName"), `displayName is ${e.displayName?.length} characters; Azure allows at most ${LIMITS.displayName}`);
      ok = false;
    }
    if ((e.description ?? "").length > LIMITS.description) {
      report("AZP2012", at("description"), `description is ${e.description?.length} characters; Azure allows at most ${LIMITS.description}`);
      ok = false;
    }
    let expiresOn: string | undefined;
    let expired = false;
    if (e.expiresOn !== undefined) {
      const parsed = parseStrictDate(e.expiresOn);
      if ("problem" in parsed) {
        report("AZP2036", at("expiresOn"), `expiresOn ${JSON.stringify(e.expiresOn)} ${parsed.problem}; write e.g. 2027-03-31T00:00:00Z`);
        ok = false;
      } else {
        const time = parsed.time;
        expiresOn = new Date(time).toISOString();
        expired = time <= ctx.now.getTime();
        if (expired) report("AZP2037", at("expiresOn"), `exemption '${e.name}' expired on ${expiresOn}; Azure no longer honours it and deploy will not create it. Renew it (a later expiresOn) or remove it`, "warning");
      }
    }
    if (e.scope !== undefined && !RESOURCE_GROUP.test(e.scope) && !ARM_SCOPE.test(e.scope)) {
      report("AZP2035", at("scope"), `scope ${JSON.stringify(e.scope)} is not a resource group name or an ARM id (/subscriptions/<id>[/resourceGroups/<rg>[/providers/<namespace>/<type>/<name>]] or /providers/Microsoft.Management/managementGroups/<name>); exemptions cannot name a Kubernetes namespace: use excludedNamespaces for that`);
      ok = false;
    }
    if (e.referenceIds !== undefined) {
      if (ctx.referenceIds === undefined) {
        report("AZP2035", at("referenceIds"), "referenceIds picks members of an initiative; a definition's assignment has none, so remove it");
        ok = false;
      } else {
        e.referenceIds.forEach((r, j) => {
          if (!ctx.referenceIds?.includes(r)) {
            report("AZP2035", at("referenceIds", String(j)), `${JSON.stringify(r)} is not a policyDefinitionReferenceId of this initiative; use one of: ${ctx.referenceIds?.join(", ")}`);
            ok = false;
          }
        });
      }
    }
    if (!ok) return;
    out.push({ name: e.name, displayName: e.displayName ?? e.name, description: e.description ?? "", category: e.category, expiresOn, scope: e.scope, referenceIds: e.referenceIds ?? [], expired });
  });
  return out;
}
