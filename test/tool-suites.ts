// Suites that drive real external programs (azure-cli from PyPI, terraform, the Azurite emulator):
// each spends most of its time starting those tools, so they run in `npm run test:tools`
// (vitest.tools.config.ts), which CI runs after `npm test` (.ci/run), instead of in `npm test`.
// Add a suite here when it starts a real external tool per case.
export const TOOL_SUITES = [
  "test/e2e/az-cli.e2e.test.ts",
  "test/e2e/publish.e2e.test.ts",
  "test/terraform-fmt.test.ts",
  "test/terraform-template-file.test.ts",
  "test/terraform-variables.test.ts",
];

/**
 * Suites that need the real azurerm provider, whose first build from source takes long on 2 cores
 * (README "Terraform with the real provider"): run only by `npm run check:azurerm`
 * (vitest.azurerm.config.ts), which builds or reuses the provider first.
 */
export const PROVIDER_SUITES = ["test/e2e/terraform-azurerm.e2e.test.ts"];
