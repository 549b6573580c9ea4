//go:build !js

package main

// strictValidate answers, for each object, why the API server would refuse it before any
// admission webhook sees it ("fieldValidation=Strict", kubectl's default since 1.27). For the
// built-in kinds client-go's scheme knows, the API server decodes the body with apimachinery's
// strict JSON serializer (k8s.io/apimachinery v0.33.3 pkg/runtime/serializer/json/json.go:
// Strict → sigs.k8s.io/json UnmarshalStrict, which reports unknown and duplicate fields and
// type mismatches), then validates metadata.name (k8s.io/kubernetes pkg/apis/*/validation:
// ValidateObjectMeta with the kind's name function). We run that same serializer against
// client-go's scheme. Kinds the scheme does not know (CRDs) get no answer: their schema lives
// in the cluster, so they are judged as before.

import (
	"encoding/json"
	"fmt"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/client-go/kubernetes/scheme"
)

const strictValidateAvailable = true

var strictSerializer = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme.Scheme, scheme.Scheme, kjson.SerializerOptions{Strict: true})

// nameRules: the name function each kind's ValidateObjectMeta call uses in k8s.io/kubernetes
// pkg/apis/core/validation (ValidateNamespaceName = NameIsDNSLabel, ValidateServiceName =
// NameIsDNS1035Label, ValidatePodName / ConfigMap / Secret / ServiceAccount / PodTemplate /
// ReplicationController = NameIsDNSSubdomain), pkg/apis/apps/validation (Deployment, ReplicaSet,
// StatefulSet, DaemonSet = NameIsDNSSubdomain) and pkg/apis/batch/validation (Job, CronJob =
// NameIsDNSSubdomain). Kinds not listed (RBAC's path-segment names, and the rest) are not
// name-checked here rather than checked with a rule that may not be theirs.
var nameRules = map[schema.GroupKind]func(string, bool) []string{
	{Group: "", Kind: "Namespace"}:             apivalidation.NameIsDNSLabel,
	{Group: "", Kind: "Service"}:               apivalidation.NameIsDNS1035Label,
	{Group: "", Kind: "Pod"}:                   apivalidation.NameIsDNSSubdomain,
	{Group: "", Kind: "ConfigMap"}:             apivalidation.NameIsDNSSubdomain,
	{Group: "", Kind: "Secret"}:                apivalidation.NameIsDNSSubdomain,
	{Group: "", Kind: "ServiceAccount"}:        apivalidation.NameIsDNSSubdomain,
	{Group: "", Kind: "PodTemplate"}:           apivalidation.NameIsDNSSubdomain,
	{Group: "", Kind: "ReplicationController"}: apivalidation.NameIsDNSSubdomain,
	{Group: "apps", Kind: "Deployment"}:        apivalidation.NameIsDNSSubdomain,
	{Group: "apps", Kind: "ReplicaSet"}:        apivalidation.NameIsDNSSubdomain,
	{Group: "apps", Kind: "StatefulSet"}:       apivalidation.NameIsDNSSubdomain,
	{Group: "apps", Kind: "DaemonSet"}:         apivalidation.NameIsDNSSubdomain,
	{Group: "batch", Kind: "Job"}:              apivalidation.NameIsDNSSubdomain,
	{Group: "batch", Kind: "CronJob"}:          apivalidation.NameIsDNSSubdomain,
}

// strictValidate returns, per object, the reasons the API server would reject it ([] = none
// found, or a kind it cannot know).
func strictValidate(objects []json.RawMessage) map[string]any {
	out := make([][]string, len(objects))
	for i, raw := range objects {
		out[i] = strictReasons(raw)
	}
	return map[string]any{"results": out}
}

func strictReasons(raw json.RawMessage) []string {
	reasons := []string{}
	obj, gvk, err := strictSerializer.Decode(raw, nil, nil)
	if err != nil {
		if runtime.IsNotRegisteredError(err) || runtime.IsMissingKind(err) || runtime.IsMissingVersion(err) {
			return reasons // a CRD (or no kind): the cluster's schema decides, not ours
		}
		if strict, isStrict := runtime.AsStrictDecodingError(err); isStrict {
			for _, e := range strict.Errors() {
				reasons = append(reasons, e.Error())
			}
		} else {
			return append(reasons, err.Error())
		}
	}
	rule, ok := nameRules[gvk.GroupKind()]
	if !ok || obj == nil {
		return reasons
	}
	meta, ok := obj.(interface {
		GetName() string
		GetGenerateName() string
	})
	if !ok {
		return reasons
	}
	// ValidateObjectMeta (k8s.io/apimachinery pkg/api/validation/objectmeta.go): generateName is
	// checked as a prefix; a name is required unless generateName is set.
	if gen := meta.GetGenerateName(); gen != "" {
		for _, msg := range rule(gen, true) {
			reasons = append(reasons, fmt.Sprintf("metadata.generateName: Invalid value: %q: %s", gen, msg))
		}
	}
	name := meta.GetName()
	switch {
	case name == "" && meta.GetGenerateName() == "":
		reasons = append(reasons, "metadata.name: Required value: name or generateName is required")
	case name != "":
		for _, msg := range rule(name, false) {
			reasons = append(reasons, fmt.Sprintf("metadata.name: Invalid value: %q: %s", name, msg))
		}
	}
	return reasons
}
