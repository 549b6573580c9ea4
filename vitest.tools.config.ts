// `npm run test:tools`: the suites that drive real external tools (test/tool-suites.ts).
import { defineConfig } from "vitest/config";
import { TOOL_SUITES } from "./test/tool-suites.js";
import { COMMON_TEST_OPTIONS } from "./vitest.config.js";

export default defineConfig({
  test: {
    include: TOOL_SUITES,
    ...COMMON_TEST_OPTIONS,
  },
});
