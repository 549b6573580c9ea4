// Presets scaffold a definition source. The same text ships in definitions/<preset>/, so
// what `azpol new` writes is what the golden tests cover.
import { stringify } from "yaml";
import { DEFAULT_EXCLUDED_NAMESPACES } from "../core/policy-model.js";
import { presetInfo, type PresetInfo } from "./preset-catalogue.js";

export interface PresetOptions {
  name?: string | undefined;
  /** path from the new definition folder to the constraint-templates folder */
  templatesPath: string;
  registries?: string[] | undefined;
  effect?: string | undefined;
  /** host the template at this https URL instead of embedding it */
  templateUrl?: string | undefined;
  /** sha256 of the template the URL must serve (recorded with templateUrl) */
  templateSha256?: string | undefined;
}

export interface Preset extends PresetInfo {
  render(options: PresetOptions): string;
}

function templateBlock(options: PresetOptions, template: string): Record<string, string> {
  const path = `${options.templatesPath}/${template}/template.yaml`;
  if (!options.templateUrl) return { path, source: "Base64Encoded" };
  return { path, source: "PublicURL", url: options.templateUrl, ...(options.templateSha256 ? { sha256: options.templateSha256 } : {}) };
}

function render(header: string, body: Record<string, unknown>): string {
  return `${header}\n${stringify(body, { lineWidth: 100 })}`;
}

/** Both presets are a registry list plus a violation hint, fed to one of the registry templates. */
interface RegistryPresetText {
  header: string;
  name: string;
  displayName: string;
  description: string;
  listParameter: string;
  listDisplayName: string;
  listDescription: string;
  defaultRegistries: string[];
  hint: string;
  /** what `azpol fix` rewrites denied registries to */
  replacements?: Record<string, string>;
}

function registryPreset(options: PresetOptions, template: string, text: RegistryPresetText): string {
  return render(text.header, {
    name: options.name ?? text.name,
    displayName: text.displayName,
    description: text.description,
    version: "1.0.0",
    category: "Kubernetes",
    template: templateBlock(options, template),
    effect: options.effect ?? "Deny",
    excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES,
    parameters: {
      [text.listParameter]: {
        type: "Array",
        format: "registries",
        displayName: text.listDisplayName,
        description: text.listDescription,
        default: options.registries ?? text.defaultRegistries,
        templateParameter: "registries",
      },
      message: {
        type: "String",
        displayName: "Violation hint",
        description: "Appended to every violation message.",
        default: text.hint,
        templateParameter: "message",
      },
    },
    ...(text.replacements ? { replacements: text.replacements } : {}),
  });
}

const k8sGcrDeprecation: Preset = {
  ...presetInfo("k8s-gcr-deprecation"),
  render(options) {
    return registryPreset(options, this.template, {
      header: "# Blocks images from k8s.gcr.io, which was frozen in 2023 (use registry.k8s.io).\n# Scaffolded by 'azpol new --preset k8s-gcr-deprecation'.",
      name: "k8s-gcr-deprecation",
      displayName: "Kubernetes clusters should not use images from k8s.gcr.io",
      description:
        "Blocks container images from the frozen k8s.gcr.io registry in Pods and workloads (containers, init containers and ephemeral containers). Pull the same images from registry.k8s.io instead.",
      listParameter: "blockedRegistries",
      listDisplayName: "Blocked registries",
      listDescription: "Registry hosts (optionally with :port and a path prefix) whose images are denied.",
      defaultRegistries: ["k8s.gcr.io"],
      hint: "k8s.gcr.io is frozen and no longer updated; pull the same image from registry.k8s.io",
      // the same images are served there (kubernetes.io/blog/2023/03/10/image-registry-redirect)
      replacements: { "k8s.gcr.io": "registry.k8s.io" },
    });
  },
};

const allowedRegistries: Preset = {
  ...presetInfo("allowed-registries"),
  render(options) {
    return registryPreset(options, this.template, {
      header: "# Allows images only from the listed registries; everything else is denied.\n# Scaffolded by 'azpol new --preset allowed-registries'.",
      name: "allowed-registries",
      displayName: "Kubernetes clusters should only use images from allowed registries",
      description:
        "Denies container images (containers, init containers and ephemeral containers of Pods and workloads) unless they come from one of the allowed registries. Registry hosts match exactly; a path prefix matches whole path segments.",
      listParameter: "allowedRegistries",
      listDisplayName: "Allowed registries",
      listDescription: "Registry hosts (optionally with :port and a path prefix) whose images are allowed.",
      defaultRegistries: [],
      hint: "pull images from an approved registry",
    });
  },
};

export const PRESETS: readonly Preset[] = [k8sGcrDeprecation, allowedRegistries];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
