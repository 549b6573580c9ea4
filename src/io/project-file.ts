// azpol.yaml at the project root: settings a repository shares: the owner id deploy records on
// what it writes (so --prune never deletes another repository's resources), and where the
// definitions of an estate are made (definitionLocation, io/load-assignments.ts).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { asRecord } from "../core/constraint-template.js";
import { UsageError } from "../errors.js";
import { readInputText } from "./read-input.js";

export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One top-level setting of azpol.yaml (undefined when there is no file or no such key). */
export function projectSetting(cwd: string, key: string): unknown {
  const file = join(cwd, "azpol.yaml");
  if (!existsSync(file)) return undefined;
  const read = readInputText(file);
  if ("error" in read) throw new UsageError(`azpol.yaml ${read.error}`);
  try {
    return asRecord(parse(read.text))?.[key];
  } catch (e) {
    throw new UsageError(`azpol.yaml: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function projectOwner(cwd: string): string | undefined {
  const owner = projectSetting(cwd, "owner");
  if (owner === undefined) return undefined;
  if (typeof owner !== "string" || !OWNER_PATTERN.test(owner)) throw new UsageError(`azpol.yaml: owner must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(owner)}`);
  return owner;
}
