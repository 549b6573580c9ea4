// The committed, precompiled schema validators are what ajv generates from the schemas today.
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderValidator } from "../scripts/generate-schema-validator.js";

it.each(["definition-source", "initiative-source", "assignment-source"] as const)("src/schema/%s.validator.generated.ts is up to date (npm run generate)", (which) => {
  expect(readFileSync(join(import.meta.dirname, "..", "src", "schema", `${which}.validator.generated.ts`), "utf8")).toBe(renderValidator(which));
});
