// The committed JSON Schemas of the CLI's --json output (schemas/cli/), compiled once.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";

const dir = join(import.meta.dirname, "..", "..", "schemas", "cli");
const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of readdirSync(dir)) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), "utf8")) as object);

/** True when `doc` matches schemas/cli/<command>.schema.json; throws with ajv's errors otherwise. */
export function matchesCliSchema(command: string, doc: unknown): boolean {
  const validate = ajv.getSchema(`https://azpol.dev/schemas/cli/${command}.schema.json`);
  if (!validate) throw new Error(`no schema for ${command}`);
  if (!validate(doc)) throw new Error(`azpol ${command} --json does not match its schema: ${JSON.stringify(validate.errors)}`);
  return true;
}
