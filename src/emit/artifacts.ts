// Every file `azpol build` writes for one definition, by format. A format may write several
// files (az: the rule, the parameters and the scripts that use them).
import type { DefinitionModel } from "../core/mutation-model.js";
import { armDefinition, type ArmDefinition } from "./arm-definition.js";
import { armTemplateFiles } from "./arm-template.js";
import { azCliFiles } from "./az-cli.js";
import { bicepFiles } from "./bicep.js";
import { portalDefinition } from "./portal-definition.js";
import { stableJson } from "./stable-json.js";
import { terraformFiles } from "./terraform.js";

import type { Format } from "./formats.js";

export { FORMATS, type Format } from "./formats.js";


export interface Artifact {
  /** path relative to the output directory */
  path: string;
  format: Format;
  content: string;
}

/**
 * The files of one format for one definition, by file name. `armBody` is the ARM body the build
 * already rendered (and measured against Azure's size limit), so policy.json is rendered once.
 */
export function renderFiles(model: DefinitionModel, format: Format, armBody: ArmDefinition = armDefinition(model)): Record<string, string> {
  switch (format) {
    case "arm":
      return { "policy.json": stableJson(armBody) };
    case "portal":
      return { "portal.json": stableJson(portalDefinition(model)) };
    case "terraform":
      return terraformFiles(model);
    case "az":
      return azCliFiles(model);
    case "arm-template":
      return armTemplateFiles(model);
    case "bicep":
      return bicepFiles(model);
  }
}

export function artifactsFor(model: DefinitionModel, formats: readonly Format[], armBody?: ArmDefinition): Artifact[] {
  return formats.flatMap((format) => Object.entries(renderFiles(model, format, armBody)).map(([file, content]) => ({ path: `${model.name}/${file}`, format, content })));
}
