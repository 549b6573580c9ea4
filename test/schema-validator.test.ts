// The committed, precompiled schema validator is what ajv generates from the schema today.
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderValidator } from "../scripts/generate-schema-validator.js";

it("src/schema/definition-source.validator.generated.ts is up to date (npm run generate)", () => {
  expect(readFileSync(join(import.meta.dirname, "..", "src", "schema", "definition-source.validator.generated.ts"), "utf8")).toBe(renderValidator());
});
