// The layer rule: every top-level folder of src/ (and src/errors.ts) has one floor, and a file
// imports only from its own folder or from folders on lower floors. One total order means no
// two folders can import each other, so there is no cycle between folders by construction.
// Type-only imports count too: a type import upwards is the hidden cycle this rule exists for.
// A new folder must be given a floor here; a file in a folder without one is an error.
import path from "node:path";

/** Bottom to top. Read: "a folder may import the folders listed before it". */
export const LAYERS = [
  "model", // ground floor: diagnostics, the source types, Azure's limits; imports nothing
  "errors", // src/errors.ts: the error classes and exit codes
  "net", // the network policy: timeouts, deadline, Retry-After caps, https at every hop; imports nothing
  "schema", // JSON Schemas of the sources and their validators
  "exemption", // checks of the exemptions a source declares
  "core", // pure compiler: a definition source + its template → PolicyModel
  "initiative", // pure compiler: an initiative source + built definitions → InitiativeModel
  "template-rego", // the Rego of the bundled ConstraintTemplates, rendered (constraint-templates/*/template.yaml)
  "presets", // the definitions `azpol new` starts from
  "emit", // pure renderers: model → artifact text (ARM, portal, az, Bicep, Terraform)
  "rego", // the policy engine and its evaluation
  "from-constraint-template", // a definition source proposed from a Gatekeeper ConstraintTemplate (new --from-template)
  "import", // a definition source recovered from an Azure definition
  "io", // the file-system boundary: reading sources and manifests, writing artifacts
  "manifest-check", // manifests checked against the built definitions (one verdict per object)
  "probe", // what a template can see (reach) and what gets past it (attack), probed on the engine
  "fix", // image rewrites for `azpol fix`
  "mirror", // getting denied images into the user's registry (ACR cache rules, imports) for `azpol mirror`
  "impact", // what a definition would deny on a cluster
  "integrity", // hosted (PublicURL) templates compared with the local ones
  "deploy", // desired state, plan and apply against Azure Resource Manager
  "assignment", // assignment sources (assignments/) → AssignmentModel, and the estate they make
  "compliance", // compliance results from Azure Policy Insights
  "publish", // uploading templates to blob storage
  "bench", // azpol bench: evaluation latency and throughput per template, baselines
  "pipeline", // the one build: sources → model → diagnostics → artifacts
  "actions", // use cases: one per command, typed input + context → typed result; never prints
  "cli", // flags → action → rendering → exit code
];

const floorOf = (layer) => LAYERS.indexOf(layer);

function layerOf(file, srcDir) {
  const relative = path.relative(srcDir, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  const [first, ...rest] = relative.split(path.sep);
  return rest.length === 0 ? first.replace(/\.[cm]?[jt]s$/, "") : first;
}

export const layerOrderRule = {
  meta: {
    type: "problem",
    docs: { description: "a module imports only from its own folder or from folders on lower floors (eslint/layer-order.mjs)" },
    schema: [{ type: "object", properties: { srcDir: { type: "string" } }, additionalProperties: false }],
    messages: {
      upward: "{{from}} (floor {{fromFloor}}) may not import {{to}} (floor {{toFloor}}): a folder imports only from folders below it ({{order}}). Move the shared piece down, or the importer up.",
      unknown: "src/{{layer}} has no floor: add it to LAYERS in eslint/layer-order.mjs",
    },
  },
  create(context) {
    const srcDir = path.resolve(context.options[0]?.srcDir ?? "src");
    const file = context.filename;
    const from = layerOf(file, srcDir);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const to = layerOf(path.resolve(path.dirname(file), source), srcDir);
      if (to === undefined || to === from) return;
      if (floorOf(to) < 0) return context.report({ node, messageId: "unknown", data: { layer: to } });
      if (floorOf(to) > floorOf(from)) {
        context.report({ node, messageId: "upward", data: { from: `src/${from}`, fromFloor: floorOf(from), to: `src/${to}`, toFloor: floorOf(to), order: LAYERS.join(" < ") } });
      }
    };
    return {
      Program(node) {
        if (floorOf(from) < 0) context.report({ node, messageId: "unknown", data: { layer: from } });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

export const layersPlugin = { rules: { "layer-order": layerOrderRule } };
