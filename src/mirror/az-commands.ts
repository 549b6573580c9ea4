// The mirror plan as az commands (azure-cli `az acr cache create`, `az acr import`), for a person
// or a pipeline to run: azpol plans, and prints exactly what it would ask ACR to do.
import { shQuote } from "../emit/shell-quote.js";
import type { MirrorPlan } from "./plan-mirror.js";

/** "myacr.azurecr.io" → "myacr": the registry name az takes. */
export function registryName(loginServer: string): string {
  return loginServer.split(".")[0] ?? loginServer;
}

export function azCommands(plan: MirrorPlan): string[] {
  const name = shQuote(registryName(plan.registry));
  return [
    // azure-cli `az acr credential-set create -r -n -l -u -p` (Key Vault secret identifiers); the
    // set's identity then needs read access to the secrets (its principalId, `az role assignment create`)
    ...plan.credentialSets.map((c) => `az acr credential-set create --registry ${name} --name ${shQuote(c.name)} --login-server ${shQuote(c.loginServer)} --username-id ${shQuote(c.usernameSecret)} --password-id ${shQuote(c.passwordSecret)}`),
    ...plan.cacheRules.map((r) => `az acr cache create --registry ${name} --name ${shQuote(r.name)} --source-repo ${shQuote(r.sourceRepository)} --target-repo ${shQuote(r.targetRepository)}${r.credentialSet ? ` --cred-set ${shQuote(r.credentialSet)}` : ""}`),
    // a digest without a tag is a manifest-only copy into its repository (--repository, REST
    // untaggedTargetRepositories). Without --image or --repository, az names the target after the
    // source path alone (acr/import.py: target_tags = [source_image before '@']), which drops the
    // upstream host mirror puts in front, so the flag is always given.
    ...plan.imports.map((i) => `az acr import --name ${name} --source ${shQuote(i.source)} ${i.target.includes(":") ? `--image ${shQuote(i.target)}` : `--repository ${shQuote(i.target)}`}`),
    ...plan.deletes.map((d) => `az acr cache delete --registry ${name} --name ${shQuote(d.name)} --yes`),
  ];
}
