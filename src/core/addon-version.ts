// The one place that names the versions azpol models: the Azure Policy add-on for AKS and the
// Gatekeeper (and OPA) it runs. Sources: Azure/AKS CHANGELOG.md ("Azure Policy add-on 1.16.1",
// 2026-04-28, Gatekeeper 3.20.1) and Gatekeeper v3.20.1's go.mod (it requires
// github.com/open-policy-agent/opa v1.7.1). azpol's engine (engine/go.mod) links exactly these,
// gator for the differential (scripts/install-gator.sh) is this Gatekeeper, and
// test/addon-version.test.ts fails when any of them, or the README, disagrees with this file.

export const AKS_POLICY_ADDON = {
  /** the Azure Policy add-on version azpol models */
  addon: "1.16.1",
  /** the Gatekeeper version that add-on runs */
  gatekeeper: "3.20.1",
  /** the OPA version that Gatekeeper links */
  opa: "1.7.1",
} as const;

/** "Gatekeeper 3.20.1 (Azure Policy add-on 1.16.1)", for messages and help. */
export const GATEKEEPER_OF_ADDON = `Gatekeeper ${AKS_POLICY_ADDON.gatekeeper} (Azure Policy add-on ${AKS_POLICY_ADDON.addon})`;
