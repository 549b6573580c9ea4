// azpol.yaml at the project root: settings a repository shares, today the owner id deploy
// records on what it writes (so --prune never deletes another repository's resources).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { asRecord } from "../core/constraint-template.js";
import { UsageError } from "../errors.js";
import { readInputText } from "./read-input.js";

export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function projectOwner(cwd: string): string | undefined {
  const file = join(cwd, "azpol.yaml");
  if (!existsSync(file)) return undefined;
  const read = readInputText(file);
  if ("error" in read) throw new UsageError(`azpol.yaml ${read.error}`);
  let owner: unknown;
  try {
    owner = asRecord(parse(read.text))?.owner;
  } catch (e) {
    throw new UsageError(`azpol.yaml: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (owner === undefined) return undefined;
  if (typeof owner !== "string" || !OWNER_PATTERN.test(owner)) throw new UsageError(`azpol.yaml: owner must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(owner)}`);
  return owner;
}
