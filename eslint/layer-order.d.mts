// Types for layer-order.mjs (plain JS, so eslint.config.js can load it without a build).
import type { ESLint, Rule } from "eslint";

export const LAYERS: readonly string[];
export const layerOrderRule: Rule.RuleModule;
export const layersPlugin: ESLint.Plugin;
