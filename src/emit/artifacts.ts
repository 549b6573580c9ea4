// Every file `azpol build` writes for one definition, by format.
import type { PolicyModel } from "../core/policy-model.js";
import { armDefinition } from "./arm-definition.js";
import { portalDefinition } from "./portal-definition.js";
import { stableJson } from "./stable-json.js";
import { terraformModule } from "./terraform.js";

export const FORMATS = ["arm", "portal", "terraform"] as const;
export type Format = (typeof FORMATS)[number];

export const FILE_OF: Record<Format, string> = {
  arm: "policy.json",
  portal: "portal.json",
  terraform: "main.tf",
};

export interface Artifact {
  /** path relative to the output directory */
  path: string;
  format: Format;
  content: string;
}

export function renderArtifact(model: PolicyModel, format: Format): string {
  switch (format) {
    case "arm":
      return stableJson(armDefinition(model));
    case "portal":
      return stableJson(portalDefinition(model));
    case "terraform":
      return terraformModule(model);
  }
}

export function artifactsFor(model: PolicyModel, formats: readonly Format[]): Artifact[] {
  return formats.map((format) => ({ path: `${model.name}/${FILE_OF[format]}`, format, content: renderArtifact(model, format) }));
}
