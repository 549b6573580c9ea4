// azpol new --preset <id>: a definition source from one of azpol's presets, its template copied
// into the project when missing. Every flag and folder is checked before anything is written.
import { templateUrlProblem } from "../../core/template-url.js";
import { redactSecrets } from "../../io/redact.js";
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { registryRuleProblem } from "../../core/registry-rule.js";
import { canonicalEffect } from "../../core/rules/effect.js";
import { gatekeeperYamlDigest } from "../../core/gatekeeper-yaml-digest.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { shownPath } from "../../io/shown-path.js";
import { packageRoot } from "../../io/package-root.js";
import { readInputText } from "../../io/read-input.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { findPreset, PRESETS } from "../../presets/presets.js";
import type { ActionContext } from "../context.js";

export interface PresetRequest {
  preset: string | undefined;
  /** --registry values as given (repeatable or comma-separated) */
  registry: string[] | undefined;
  name: string | undefined;
  dir: string;
  templates: string;
  effect: string | undefined;
  templateUrl: string | undefined;
  force: boolean | undefined;
}

export interface PresetOutcome {
  preset: string;
  definition: string;
  /** the template copied into --templates, or null when it was there already */
  templateCopied: string | null;
}

export function newFromPreset(request: PresetRequest, ctx: ActionContext): PresetOutcome {
  if (!request.preset) throw new UsageError(`choose a preset with --preset (${PRESETS.map((p) => p.id).join(", ")})`);
  const preset = findPreset(request.preset);
  if (!preset) throw new UsageError(`unknown preset ${JSON.stringify(request.preset)}; use one of: ${PRESETS.map((p) => p.id).join(", ")}`);
  const registries = (request.registry ?? []).flatMap((r) => r.split(",")).map((r) => r.trim()).filter((r) => r !== "");
  if (preset.needsRegistries && registries.length === 0) throw new UsageError(`preset ${preset.id} needs at least one --registry, e.g. --registry myacr.azurecr.io`);
  // The k8s.gcr.io preset's list and its message ("k8s.gcr.io is frozen ...") go together:
  // swapping the list would keep a message that is no longer true.
  if (!preset.needsRegistries && registries.length) throw new UsageError(`preset ${preset.id} blocks the frozen k8s.gcr.io and takes no --registry; to allow only your registries use --preset allowed-registries --registry <host>, or edit blockedRegistries and message in the scaffolded file`);
  for (const r of registries) {
    const problem = registryRuleProblem(r);
    if (problem) throw new UsageError(`--registry ${problem}`);
  }
  if (request.templateUrl !== undefined) {
    const problem = templateUrlProblem(request.templateUrl);
    if (problem) throw new UsageError(`--template-url ${redactSecrets(request.templateUrl)} ${problem}`);
  }
  if (request.effect !== undefined && !canonicalEffect(request.effect)) throw new UsageError(`--effect ${JSON.stringify(request.effect)} is not Audit, Deny or Disabled`);
  const name = request.name ?? preset.id;
  const nameProblem = definitionNameProblem(name);
  if (nameProblem) throw new UsageError(`--name: ${nameProblem}`);

  const definitionDir = resolve(ctx.files.cwd, request.dir, name);
  // Check every folder before writing anything, so a bad --dir or --templates never leaves
  // half a scaffold behind.
  assertFolderPath(definitionDir, "--dir");
  assertFolderPath(join(resolve(ctx.files.cwd, request.templates), preset.template), "--templates");
  const file = join(definitionDir, "definition.yaml");
  if (existsSync(file) && !request.force) throw new UsageError(`${shownPath(file)} already exists; pass --force to overwrite it or --name to pick another name`);
  const templatesDir = resolve(ctx.files.cwd, request.templates);
  const templateDir = join(templatesDir, preset.template);
  const copied = !existsSync(join(templateDir, "template.yaml"));
  const text = preset.render({
    name: request.name,
    templatesPath: relative(definitionDir, templatesDir).split("\\").join("/"),
    registries: registries.length ? registries : undefined,
    effect: request.effect === undefined ? undefined : canonicalEffect(request.effect),
    templateUrl: request.templateUrl,
    // what the URL must serve: the template this scaffold uses (the copy, or the one already there)
    templateSha256: request.templateUrl === undefined ? undefined : templateDigestOf(copied ? join(packageRoot(), "constraint-templates", preset.template, "template.yaml") : join(templateDir, "template.yaml")),
  });
  if (copied) {
    const shipped = readInputText(join(packageRoot(), "constraint-templates", preset.template, "template.yaml"));
    if ("error" in shipped) throw new AzpolError("PackageDamaged", `azpol's own ${preset.template} template ${shipped.error}; reinstall azpol`, ExitCode.Internal);
    ctx.write(templatesDir, join(templateDir, "template.yaml"), shipped.text, { label: "--templates" });
  }
  ctx.write(resolve(ctx.files.cwd, request.dir), file, text, { label: "--dir" });
  return { preset: preset.id, definition: shownPath(file), templateCopied: copied ? shownPath(join(templateDir, "template.yaml")) : null };
}

function templateDigestOf(file: string): string | undefined {
  const read = readInputText(file);
  return "error" in read ? undefined : gatekeeperYamlDigest(read.text);
}

/** A folder azpol may create: every part of the path that exists is a folder, not a file. */
function assertFolderPath(dir: string, flag: string): void {
  for (let p = dir; ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) throw new UsageError(`${flag}: ${JSON.stringify(shownPath(p))} is a file, not a folder; name a folder`);
      return;
    }
    if (dirname(p) === p) return;
  }
}
