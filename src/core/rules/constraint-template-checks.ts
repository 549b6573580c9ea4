// AZP3002-AZP3006: the ConstraintTemplate is one Azure can install: name = lowercase(kind)
// (Gatekeeper validateTemplateMetadata), one Gatekeeper admission target, no synced data
// (blocked for custom definitions), a name that cannot collide with the add-on's k8sazure*
// templates, and a templateInfo URL that is https and carries no secret.
import { SECRET_QUERY } from "../template-url.js";
import type { Rule } from "./rule-context.js";
import { GATEKEEPER_TARGET } from "../constraint-template.js";
import { safeNameProblem } from "../../model/safe-name.js";
import { gatekeeperYamlDigest } from "../gatekeeper-yaml-digest.js";
import { GATEKEEPER_OF_ADDON } from "../addon-version.js";

export const constraintTemplateChecksRule: Rule = ({ source, template, report, reportTemplate }) => {
  if (source.template.source === "PublicURL" && source.template.url !== undefined) {
    const url = source.template.url;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      report("AZP3003", "/template/url", `template url ${JSON.stringify(url)} is not a URL; use https://host/path/template.yaml`);
    }
    if (parsed && parsed.protocol !== "https:") {
      report("AZP3003", "/template/url", `template url must use https, got ${JSON.stringify(parsed.protocol.replace(/:$/, ""))}; the add-on downloads it from the cluster`);
    }
    if (parsed && (parsed.username !== "" || parsed.password !== "")) {
      report("AZP3003", "/template/url", "template url carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'");
    }
    if (parsed && SECRET_QUERY.test(parsed.search.slice(1))) {
      report("AZP3005", "/template/url", "template url has a query string that looks like a SAS or token; Azure warns not to put secrets in templateInfo.url, so host the template publicly", "warning");
    }
  }
  if (!template) return;
  if (source.template.source === "PublicURL") {
    const digest = gatekeeperYamlDigest(template.text);
    if (source.template.sha256 === undefined) {
      report("AZP3011", "/template", `record the template's sha256 so validate --online and deploy can check that the URL serves the template tested here: add 'sha256: ${digest}' under template (azpol publish --write does it)`, "warning");
    } else if (source.template.sha256 !== digest) {
      report("AZP3010", "/template/sha256", `the local template's sha256 is ${digest}, not the recorded ${source.template.sha256}: it changed since it was published; publish it again (azpol publish --write) or restore it`);
    }
  }
  const nameProblem = safeNameProblem(template.name, "metadata.name");
  if (nameProblem) reportTemplate("AZP3002", "/metadata/name", `${nameProblem}; it names the template's folder and its Kubernetes object`);
  else if (template.name !== template.kind.toLowerCase()) {
    reportTemplate("AZP3002", "/metadata/name", `metadata.name ${JSON.stringify(template.name)} must equal the lowercase of spec.crd.spec.names.kind ${JSON.stringify(template.kind)}; use '${template.kind.toLowerCase()}'`);
  }
  if (template.target !== GATEKEEPER_TARGET) {
    reportTemplate("AZP3006", "/spec/targets/0/target", `target is ${JSON.stringify(template.target)}; Azure Policy for Kubernetes needs '${GATEKEEPER_TARGET}'`);
  }
  if (template.name.startsWith("k8sazure") && !servedByAzurePolicy(source.template)) {
    reportTemplate("AZP3008", "/metadata/name", `template name ${JSON.stringify(template.name)} starts with k8sazure, the prefix of the templates the Azure Policy add-on installs; a same-named template from another source is a conflict and is not installed. Pick another prefix`, "warning");
  }
  if (template.hasCel && template.rego !== undefined) {
    reportTemplate(
      "AZP3009",
      "/spec/targets/0/code",
      `the template has K8sNativeValidation (CEL) code beside its Rego: ${GATEKEEPER_OF_ADDON} (CEL on by default since add-on 1.10.0) evaluates the CEL and ignore the Rego, and so does azpol test; the Rego decides nothing on the cluster, so keep one engine (azpol test --engine rego checks the Rego alone)`,
      "warning",
    );
  }
  if (template.requiresSyncData) {
    reportTemplate("AZP3004", "/metadata/annotations", "the template requires synced data (metadata.gatekeeper.sh/requires-sync-data), which Azure blocks for custom definitions (ConstraintTemplateInstallFailed); remove the data.inventory dependency");
  }
};

/**
 * Microsoft's own templates (the built-ins' templateInfo URLs, store.policy.core.windows.net/
 * kubernetes/<name>/vN/template.yaml) are the add-on's k8sazure* templates themselves: using one
 * is no collision.
 */
export function servedByAzurePolicy(template: { source: string; url?: string | undefined }): boolean {
  if (template.source !== "PublicURL" || template.url === undefined) return false;
  try {
    const url = new URL(template.url);
    return url.protocol === "https:" && url.hostname.toLowerCase() === "store.policy.core.windows.net";
  } catch {
    return false;
  }
}
