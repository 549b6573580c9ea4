// A suite case whose object is an AdmissionReview (gatekeeper-library's "update" samples) is
// reviewed as its request, the way gator does (GK v3.20.1 pkg/gator/verify/runner.go
// validateAndReviewAdmissionReviewRequest; pkg/target/target.go handleReview, setObjectOnDelete;
// pkg/target/matcher.go Match; frameworks drivers/rego toInterfaceMap):
//   - detected by kind AdmissionReview in group admission.k8s.io, any version;
//   - converted strictly to admission/v1: an unknown field is an error;
//   - no request → error; neither object nor oldObject → error;
//   - input.review is the request as the typed admission/v1 AdmissionRequest serialises to JSON:
//     fields the file leaves out appear with Go's zero values (uid "", kind and resource with
//     empty strings, operation "", userInfo {}, object/oldObject/options null), so a template
//     that reads input.review.kind.kind sees "" rather than nothing; for DELETE, oldObject must be
//     set and is copied into object;
//   - the constraint matches the object and the oldObject themselves (their own kind, namespace
//     and labels), and the review counts if either matches; the request's kind and namespace
//     take no part (a review whose request has no kind is still matched by its object's).
import { asRecord } from "../core/constraint-template.js";
import { groupVersionKind, type KubeObject } from "./kubernetes-object.js";

const REVIEW_FIELDS = new Set(["apiVersion", "kind", "request", "response"]);
const REQUEST_FIELDS = new Set(["uid", "kind", "resource", "subResource", "requestKind", "requestResource", "requestSubResource", "name", "namespace", "operation", "userInfo", "object", "oldObject", "dryRun", "options"]);

export function isAdmissionReview(obj: KubeObject): boolean {
  const gvk = groupVersionKind(obj);
  return gvk.kind === "AdmissionReview" && gvk.group === "admission.k8s.io";
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const gvk = (v: unknown) => ({ group: str(asRecord(v)?.group), version: str(asRecord(v)?.version), kind: str(asRecord(v)?.kind) });
const gvr = (v: unknown) => ({ group: str(asRecord(v)?.group), version: str(asRecord(v)?.version), resource: str(asRecord(v)?.resource) });

/** authentication/v1 UserInfo: every field omitempty. */
function userInfo(v: unknown): Record<string, unknown> {
  const u = asRecord(v) ?? {};
  const out: Record<string, unknown> = {};
  for (const key of ["username", "uid"]) if (str(u[key]) !== "") out[key] = u[key];
  for (const key of ["groups", "extra"]) {
    const x = u[key];
    if (x !== null && x !== undefined && Object.keys(x).length > 0) out[key] = x;
  }
  return out;
}

/** The request as admission/v1 AdmissionRequest marshals it (json tags; omitempty fields left out when empty). */
function typedRequest(request: Record<string, unknown>): Record<string, unknown> {
  const review: Record<string, unknown> = { uid: str(request.uid), kind: gvk(request.kind), resource: gvr(request.resource) };
  if (str(request.subResource)) review.subResource = request.subResource;
  if (asRecord(request.requestKind)) review.requestKind = gvk(request.requestKind);
  if (asRecord(request.requestResource)) review.requestResource = gvr(request.requestResource);
  if (str(request.requestSubResource)) review.requestSubResource = request.requestSubResource;
  if (str(request.name)) review.name = request.name;
  if (str(request.namespace)) review.namespace = request.namespace;
  review.operation = str(request.operation);
  review.userInfo = userInfo(request.userInfo);
  review.object = request.object ?? null;
  review.oldObject = request.oldObject ?? null;
  if (typeof request.dryRun === "boolean") review.dryRun = request.dryRun;
  review.options = request.options ?? null;
  return review;
}

/** The review Gatekeeper evaluates and the objects it matches, or why gator refuses the review. */
export function admissionReviewInput(obj: KubeObject): { review: Record<string, unknown>; matchObjects: KubeObject[] } | { error: string } {
  const unknown = Object.keys(obj).filter((k) => !REVIEW_FIELDS.has(k));
  if (unknown.length) return { error: `invalid AdmissionReview: unknown field(s) ${unknown.join(", ")} (gator converts it strictly to admission/v1)` };
  const request = asRecord(obj.request);
  if (!request) return { error: "AdmissionReview has no request (gator ErrMissingK8sAdmissionRequest)" };
  const unknownRequest = Object.keys(request).filter((k) => !REQUEST_FIELDS.has(k));
  if (unknownRequest.length) return { error: `invalid AdmissionReview: unknown request field(s) ${unknownRequest.join(", ")}` };
  const object = asRecord(request.object);
  const oldObject = asRecord(request.oldObject);
  if (!object && !oldObject) return { error: "AdmissionReview request has neither object nor oldObject (gator ErrNoObjectForReview)" };
  for (const [field, o] of [["object", object], ["oldObject", oldObject]] as const) {
    if (o && typeof o.kind !== "string") return { error: `AdmissionReview request.${field} has no kind (gator ErrUnmarshallObject)` };
  }
  const review = typedRequest(request);
  if (request.operation === "DELETE") {
    if (!oldObject) return { error: "a DELETE AdmissionReview needs request.oldObject, the object being deleted (gator ErrOldObjectIsNil)" };
    review.object = oldObject;
  }
  // Gatekeeper's matcher: the object, then the oldObject, each as itself; either may match.
  const matchObjects = [asRecord(review.object), oldObject].filter((o): o is Record<string, unknown> => o !== undefined) as KubeObject[];
  return { review, matchObjects };
}
