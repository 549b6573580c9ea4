// Every file `azpol build` writes for one initiative, by format, in <out>/<initiative>/. The
// members' own files are in <out>/<definition>/; the az scripts and the Terraform module use them.
import type { PolicyModel } from "../../core/policy-model.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import type { Artifact, Format } from "../artifacts.js";
import { stableJson } from "../stable-json.js";
import { initiativeArmTemplateFiles } from "./initiative-arm-template.js";
import { initiativeAzFiles } from "./initiative-az.js";
import { initiativeBicepFiles } from "./initiative-bicep.js";
import { initiativePortalSteps } from "./initiative-portal.js";
import { initiativeTerraform } from "./initiative-terraform.js";
import { terraformExampleRoot } from "../terraform-example.js";
import { DEFINITION_LOCATION, definitionIdAt, policySetProperties } from "./policy-set.js";

/** The REST body (PUT .../policySetDefinitions/{name}); member ids start with DEFINITION_LOCATION. */
export function policySetBody(model: InitiativeModel): { properties: Record<string, unknown> } {
  return { properties: policySetProperties(model, definitionIdAt(DEFINITION_LOCATION)) };
}

export function renderInitiativeFiles(model: InitiativeModel, members: PolicyModel[], format: Format): Record<string, string> {
  switch (format) {
    case "arm":
      return { "policyset.json": stableJson(policySetBody(model)) };
    case "portal":
      return { "portal.md": initiativePortalSteps(model) };
    case "terraform":
      return { "main.tf": initiativeTerraform(model), "example/main.tf": terraformExampleRoot(model, "initiative") };
    case "az":
      return initiativeAzFiles(model);
    case "arm-template":
      return initiativeArmTemplateFiles(model, members);
    case "bicep":
      return initiativeBicepFiles(model, members);
  }
}

export function initiativeArtifacts(model: InitiativeModel, members: PolicyModel[], formats: readonly Format[]): Artifact[] {
  return formats.flatMap((format) => Object.entries(renderInitiativeFiles(model, members, format)).map(([file, content]) => ({ path: `${model.name}/${file}`, format, content })));
}
