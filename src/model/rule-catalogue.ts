// The rules as data: every AZP code with its title (DIAGNOSTIC_CODES), the severity it is
// reported with, and what it means and how to fix it. `azpol explain`, `validate --json`
// and `validate --format sarif` all read this one catalogue; a code missing here does not compile.
import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from "./diagnostics.js";

export interface RuleEntry {
  code: DiagnosticCode;
  title: string;
  /** "error or warning": the same check reports both, by how sure it is (the message says which) */
  severity: Severity | "error or warning";
  explanation: string;
}

type Entry = Omit<RuleEntry, "code" | "title">;
const E = (explanation: string): Entry => ({ severity: "error", explanation });
const W = (explanation: string): Entry => ({ severity: "warning", explanation });
const EW = (explanation: string): Entry => ({ severity: "error or warning", explanation });

const ENTRIES: Record<DiagnosticCode, Entry> = {
  AZP1001: E("The file is not valid YAML or JSON, so nothing in it was checked. Fix the syntax at the line and column given."),
  AZP1002: E("The source does not have the shape azpol reads (schemas/): a missing, misspelt or mistyped field. The JSON pointer names the field; the message says what is expected."),
  AZP1003: E("A --param flag is not name=value, or names a parameter no definition declares. Fix the flag: it is the command line's fault, not the sources'."),
  AZP2001: E("Azure Policy for Kubernetes takes Audit, Deny or Disabled (case-sensitive in the allowed values). Use one of them, or a parameter whose allowed values are these."),
  AZP2002: E("A namespace name must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters); any other name can never match a namespace, so the exclusion or inclusion would do nothing."),
  AZP2003: E("The same namespace is listed twice; remove the duplicate so the list says what it means."),
  AZP2004: E("A registry entry must be a plain registry host (optionally with a port or a path prefix), not an image reference, URL or pattern; anything else would never match how images are named."),
  AZP2005: E("The same registry is listed twice; remove the duplicate."),
  AZP2006: E("An empty registry list blocks nothing (or, for an allow list, everything); give at least one registry."),
  AZP2007: E("details.values passes a key the ConstraintTemplate's parameter schema does not declare; Gatekeeper would reject or ignore it. Use a name from the template's spec.crd.spec.validation schema."),
  AZP2008: E("A value passed to the template does not have the type the template's schema asks for; the constraint would be rejected on the cluster. Match the schema's type."),
  AZP2009: E("A [parameters('x')] reference names a parameter the definition does not declare; Azure rejects the definition. Declare it under parameters:, or fix the name."),
  AZP2010: E("Azure resource names are at most 64 characters and cannot contain < > * % & : \\ ? . + / or controls, nor end with a space; the name is also a folder azpol writes. Rename the definition."),
  AZP2011: E("Azure accepts a displayName of at most 128 characters; shorten it."),
  AZP2012: E("Azure accepts a description of at most 512 characters; shorten it."),
  AZP2013: E("A definition has at most 20 parameters, counting the standard ones azpol adds; drop or merge parameters."),
  AZP2014: E("Azure accepts a policy definition body of at most 1 MiB (the compact JSON sent). An embedded (Base64) template counts: host it and use source: PublicURL."),
  AZP2015: E("A parameter's default does not have the parameter's type; Azure rejects the definition or the assignment. Make the default fit the type."),
  AZP2016: E("Two definitions have the same name (Azure names ignore case); deploying both would flip one definition between them. Rename one."),
  AZP2017: EW("apiGroups or kinds must name real Kubernetes API groups and kinds (or be a parameter). \"*\" or a value that is not a list is an error (Azure rejects it). A kind listed without its API group (e.g. ReplicationController, group \"\", under apiGroups [\"apps\"]) is a warning: Gatekeeper matches a group in apiGroups AND a kind in kinds, so that kind is never checked, but Azure accepts the definition and some of Microsoft's built-ins ship it. Add the kind's group to apiGroups."),
  AZP2018: W("A declared parameter is never used by the rule or the template values; it only adds a field to fill in. Use it, or remove it."),
  AZP2019: E("Azure accepts metadata values (category, parameter displayName and description) of at most 1024 characters; shorten it."),
  AZP2020: E("Azure definition versions are #.#.#, optionally -preview or -deprecated; use e.g. 1.0.0."),
  AZP2021: E("The same template parameter is given twice (in values and through a parameter); only one would reach the constraint. Set it once."),
  AZP2022: E("The name is one of the standard parameters azpol declares for every Kubernetes definition (effect, excludedNamespaces, ...); choose another name."),
  AZP2023: E("A parameter's default is not among its allowedValues; Azure rejects the definition. Add it to allowedValues or change the default."),
  AZP2024: E("The text holds invisible or direction-changing characters (controls, bidi overrides, zero-width), which make it read differently from what it is. Remove them."),
  AZP2025: E("labelSelector must be a Kubernetes label selector (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist); anything else would be rejected or match nothing."),
  AZP2026: E("replacements maps a registry to the registry `azpol fix` moves images to; both sides must be plain registry hosts."),
  AZP2027: E("An initiative member names a definition that is not part of this build; build it with the initiative, or fix the name."),
  AZP2028: E("Each member's policyDefinitionReferenceId must be non-empty, at most 64 characters and unique in the initiative; Azure rejects the policy set otherwise."),
  AZP2029: E("A member passes a value to a parameter its definition does not declare; Azure rejects the policy set. Use a declared parameter name."),
  AZP2030: E("A member value refers to an initiative parameter that is not declared; declare it under the initiative's parameters, or fix the reference."),
  AZP2031: E("An initiative parameter feeds a member parameter of another type or allowed values; the assignment could pass a value the member rejects. Make them agree."),
  AZP2032: E("A literal member value does not fit the member's parameter (type or allowed values); Azure rejects the policy set. Fix the value."),
  AZP2033: E("Two members pass through a parameter of the same name with different types or allowed values, so one initiative parameter cannot feed both. Declare it explicitly, or wire the members apart."),
  AZP2034: E("Azure accepts a policy set body of at most 1 MiB; split the initiative."),
  AZP2035: E("An exemption's name, scope or referenceIds is invalid (ARM name rules, a resource group or ARM id at or below the assignment scope, members of the initiative), or it can have no assignment to exempt from. Fix the field named."),
  AZP2036: E("expiresOn must be an ISO 8601 date-time with a zone (or a date), as ARM takes it; fix the value."),
  AZP2037: W("The exemption's expiresOn has passed: Azure no longer honours it, and deploy does not create it. Renew or remove it."),
  AZP2038: E("Two initiatives (or an initiative and a definition) have the same name; their build folders and Azure names would collide. Rename one."),
  AZP2401: E("An assignment names a definition or initiative that is not part of this build; fix the name or build it."),
  AZP2402: E("An assignment's parameter value names an undeclared parameter, misses a required one, or does not fit its type or allowed values; Azure rejects the assignment. Fix the value."),
  AZP2403: E("An assignment scope or notScope must be an ARM id of a management group, subscription or resource group; fix the id."),
  AZP2404: EW("An assignment scope is outside the location its definitions are made at; Azure only assigns a definition at or below where it is made. An error when the location is a subscription (the ids tell); a warning when it is a management group, whose hierarchy is not in the sources (ARM decides at deploy). Move the scope or definitionLocation in azpol.yaml."),
  AZP2405: E("An assignment name is not valid at its scope (ARM limits: 24 characters at a management group, 64 elsewhere, and the name rule); rename it."),
  AZP2406: E("Two assignments have the same name at one scope; one would overwrite the other. Rename one."),
  AZP2050: E("An ARM template expression (e.g. [parameters('x')] or a function) is malformed or cannot be evaluated with what is known; fix the expression."),
  AZP2051: E("A Mutate definition (template.path names a Gatekeeper mutator, emitted as details.mutationInfo) cannot carry apiGroups or kinds, and cannot be parameterised (Azure's effect-mutate doc): the mutator's own spec.match and applyTo say what it changes. azpol also refuses namespaces, labelSelector, warn and replacements there, which Microsoft's mutation built-ins never pass. Remove the field, or put the condition in the mutator's spec.match."),
  AZP2052: E("A Mutate definition lists the effects Mutate and Disabled (Microsoft's mutation built-ins; default Mutate); Audit and Deny need a ConstraintTemplate. A ConstraintTemplate definition cannot use Mutate."),
  AZP3001: E("The ConstraintTemplate file could not be read or is not a ConstraintTemplate; nothing about it was checked. Fix the path or the file."),
  AZP3002: E("Gatekeeper requires metadata.name to be the lowercase of spec.crd.spec.names.kind, and the name must pass azpol's name rule; otherwise the template is rejected."),
  AZP3003: EW("The add-on fetches templateInfo URLs over https only; an http URL (or userinfo in the URL) is refused, and a URL azpol cannot judge is a warning."),
  AZP3004: E("The template reads data.inventory (synced cluster data), which Azure blocks for custom definitions; it would see nothing and allow everything. Decide from the object under review."),
  AZP3005: W("The templateInfo URL may carry a secret (a SAS token or other query credential); the definition is readable by anyone who can read policies. Host the template where it needs no secret."),
  AZP3006: W("The template does not target admission.k8s.gatekeeper.sh, so Gatekeeper's admission webhook never evaluates it."),
  AZP3007: E("The template's Rego (or CEL) does not compile; on the cluster it would enforce nothing. Fix the code at the line given (azpol test runs the template's suites)."),
  AZP3008: W("The template's name is one the add-on uses for its own templates; installing it would clash with a built-in policy. Rename the template."),
  AZP3009: W("The template has CEL code (K8sNativeValidation); the add-on's Gatekeeper evaluates the CEL instead of the Rego, so test the CEL (azpol test --engine cel)."),
  AZP3010: E("The local template's sha256 differs from the one recorded for its PublicURL: the URL serves another template than the one tested. Publish again (azpol publish --write)."),
  AZP3011: W("A PublicURL template has no recorded sha256, so nothing ties what the URL serves to what was tested. Record it with azpol publish --write."),
  AZP3012: E("What the URL serves is not byte for byte the local template that was tested; deploying would point Azure at untested code. Publish the tested template."),
  AZP3013: W("The hosted template was not fetched (--offline), so whether the URL serves the tested template was not checked."),
  AZP3014: EW("The file template.path names claims to be a Gatekeeper mutator (apiVersion mutations.gatekeeper.sh/...) but is not one Gatekeeper 3.20.1 accepts: a kind other than Assign, AssignMetadata, ModifySet or AssignImage, no metadata.name, no spec.location or applyTo, or what Gatekeeper's own mutator code refuses (validate runs it when the native engine is in use; with the js/wasm engine that check does not run, which is a warning). Fix the field named."),
  AZP3015: W("The AKS add-on's support for this mutation is unconfirmed: Azure's docs name Assign, AssignMetadata and ModifySet (not AssignImage), and Microsoft's mutation built-ins target AKS only (not Arc). azpol tests the mutation with Gatekeeper's own code, but the cluster may not install it; try it on a test cluster first."),
  AZP3016: W("Probed on the engine, the template gets no violation for an image it denies when that image is in one place of a kind the definition covers (a workload kind, init or ephemeral containers, an image volume): such objects pass `azpol test` and are admitted by the cluster. Where the message says so, `source: All` in the definition fixes it (Gatekeeper expands the workload into the Pod it makes); otherwise fix the template (azpol test --attack shows what gets through). validate reads the probe from the cache azpol test and validate fill, and runs it on the engine when the template, parameters, kinds, engine build or azpol version changed."),
};

export const RULE_CATALOGUE: readonly RuleEntry[] = (Object.keys(ENTRIES) as DiagnosticCode[]).map((code) => ({ code, title: DIAGNOSTIC_CODES[code], ...ENTRIES[code] }));

export function ruleFor(code: string): RuleEntry | undefined {
  return RULE_CATALOGUE.find((r) => r.code === code.toUpperCase());
}
