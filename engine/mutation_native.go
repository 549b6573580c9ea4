//go:build !js

package main

// Gatekeeper's own mutation (native build only): the mutators of a Mutate definition applied to
// one object exactly as gator applies them, through gator's expander
// (open-policy-agent/gatekeeper@v3.20.1 pkg/gator/expand): NewExpander converts each mutator
// (Assign, AssignMetadata, ModifySet, AssignImage) with Gatekeeper's MutatorFor* functions, which
// refuse what the cluster would refuse, and upserts it into a pkg/mutation System; Expand mutates
// the base object as Original (System.Mutate, repeated until it converges) and then the objects
// its ExpansionTemplates generate, which the mutators see as Generated.

import (
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/gatekeeper/v3/pkg/gator/expand"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

type mutateRequest struct {
	Mutators   []map[string]any `json:"mutators"`
	Expansions []map[string]any `json:"expansions"`
	Object     map[string]any   `json:"object"`
	// the object's Namespace, for a mutator's namespaceSelector (gator reads it from the inputs)
	Namespace map[string]any `json:"namespace"`
}

// gkMutate answers {"object": the mutated object, "resultants": [...]} or {"error"}; without an
// object it only checks that Gatekeeper accepts the mutators (azpol validate).
func gkMutate(raw json.RawMessage) map[string]any {
	var req mutateRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return map[string]any{"error": "bad mutate request: " + err.Error()}
	}
	var resources []*unstructured.Unstructured
	for _, group := range [][]map[string]any{req.Mutators, req.Expansions} {
		for _, o := range group {
			resources = append(resources, &unstructured.Unstructured{Object: o})
		}
	}
	if req.Namespace != nil {
		resources = append(resources, &unstructured.Unstructured{Object: req.Namespace})
	}
	expander, err := expand.NewExpander(resources)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	if req.Object == nil {
		return map[string]any{}
	}
	object := &unstructured.Unstructured{Object: req.Object}
	resultants, err := expander.Expand(object)
	if err != nil {
		return map[string]any{"error": fmt.Sprintf("mutating: %s", err)}
	}
	out := make([]map[string]any, len(resultants))
	for i, r := range resultants {
		out[i] = map[string]any{"object": r.Obj.Object, "templateName": r.TemplateName, "enforcementAction": r.EnforcementAction}
	}
	return map[string]any{"object": object.Object, "resultants": out}
}
