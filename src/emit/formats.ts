// The output formats of `azpol build`, by name. Apart from artifacts.ts (which imports every
// emitter) so that `azpol build --help` lists them without loading the emitters.
export const FORMATS = ["arm", "portal", "terraform", "az", "arm-template", "bicep"] as const;
export type Format = (typeof FORMATS)[number];
