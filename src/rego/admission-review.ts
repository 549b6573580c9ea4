// A suite case whose object is an AdmissionReview (gatekeeper-library's "update" samples) is
// reviewed as its request, the way gator does (GK v3.19.1 pkg/gator/verify/runner.go
// validateAndReviewAdmissionReviewRequest; pkg/target/target.go setObjectOnDelete):
//   - detected by kind AdmissionReview in group admission.k8s.io, any version;
//   - converted strictly to admission/v1: an unknown field is an error;
//   - no request → error; neither object nor oldObject → error;
//   - the whole request becomes input.review as is; for DELETE, oldObject must be set and is
//     copied into object.
import { asRecord } from "../core/constraint-template.js";
import { groupVersionKind, type KubeObject } from "./kubernetes-object.js";

const REVIEW_FIELDS = new Set(["apiVersion", "kind", "request", "response"]);
const REQUEST_FIELDS = new Set(["uid", "kind", "resource", "subResource", "requestKind", "requestResource", "requestSubResource", "name", "namespace", "operation", "userInfo", "object", "oldObject", "dryRun", "options"]);

export function isAdmissionReview(obj: KubeObject): boolean {
  const gvk = groupVersionKind(obj);
  return gvk.kind === "AdmissionReview" && gvk.group === "admission.k8s.io";
}

/** The review Gatekeeper evaluates and the object it matches, or why gator refuses the review. */
export function admissionReviewInput(obj: KubeObject): { review: Record<string, unknown>; matchObject: KubeObject } | { error: string } {
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
  const review: Record<string, unknown> = { ...request };
  if (request.operation === "DELETE") {
    if (!oldObject) return { error: "a DELETE AdmissionReview needs request.oldObject, the object being deleted (gator ErrOldObjectIsNil)" };
    review.object = oldObject;
  }
  const subject = (review.object ? asRecord(review.object) : oldObject) as KubeObject;
  // Match on the request's kind and namespace, with the reviewed object's labels.
  const kind = asRecord(request.kind);
  const group = typeof kind?.group === "string" ? kind.group : "";
  const version = typeof kind?.version === "string" ? kind.version : "";
  const matchObject: KubeObject = {
    ...subject,
    apiVersion: kind ? (group ? `${group}/${version}` : version) : (subject.apiVersion ?? ""),
    kind: typeof kind?.kind === "string" ? kind.kind : (subject.kind ?? ""),
    metadata: { ...(subject.metadata ?? {}), ...(typeof request.namespace === "string" && request.namespace ? { namespace: request.namespace } : {}) },
  };
  return { review, matchObject };
}
