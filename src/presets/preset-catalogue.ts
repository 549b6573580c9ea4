// Which presets there are, without their text: what `azpol new --help` and `--list` show. Kept apart
// from presets.ts, whose scaffolds are YAML (the yaml library loads only when one is written).
export interface PresetInfo {
  id: string;
  summary: string;
  /** the constraint template the preset's definition uses */
  template: string;
  needsRegistries: boolean;
}

export const PRESET_CATALOGUE: readonly PresetInfo[] = [
  { id: "k8s-gcr-deprecation", summary: "block images from the frozen k8s.gcr.io registry; use registry.k8s.io", template: "disallowed-registries", needsRegistries: false },
  { id: "allowed-registries", summary: "allow images only from your own registries (--registry, repeatable)", template: "allowed-registries", needsRegistries: true },
];

export function presetInfo(id: string): PresetInfo {
  const info = PRESET_CATALOGUE.find((p) => p.id === id);
  if (!info) throw new Error(`no preset ${id} in the catalogue`);
  return info;
}
