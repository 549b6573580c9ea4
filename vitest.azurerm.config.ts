// `npm run check:azurerm`: the suites that need the real azurerm provider (test/tool-suites.ts
// PROVIDER_SUITES); the npm script builds or reuses the provider first.
import { defineConfig } from "vitest/config";
import { PROVIDER_SUITES } from "./test/tool-suites.js";
import { COMMON_TEST_OPTIONS } from "./vitest.config.js";

export default defineConfig({
  test: {
    include: PROVIDER_SUITES,
    ...COMMON_TEST_OPTIONS,
    // A hang guard, not a speed target: the provider waits on purpose after writes, for Azure's
    // eventual consistency (terraform-provider-azurerm internal/services/policy: a definition until
    // 10 reads in a row, at least 10 s apart, find it; an assignment 20 reads 5 s apart, after create
    // and after delete), so one apply + destroy takes minutes however fast the fake answers.
    testTimeout: 1_800_000,
  },
});
