//go:build !js

package main

// Gatekeeper's own evaluation for what azpol's Rego harness does not cover (native build only):
//   - templates decided by the K8sNativeValidation (CEL) engine, evaluated by Gatekeeper's k8scel
//     driver through the constraint framework client, set up as gator's NewOPAClient sets it up
//     (open-policy-agent/gatekeeper@v3.19.1 pkg/gator/opa.go): the k8scel driver is registered
//     before the Rego driver, so it has the higher priority, as in Gatekeeper's main.go;
//   - ExpansionTemplates, expanded by gator's expander (pkg/gator/expand), as gator verify does.
//
// The js/wasm build does not link these (they add ~18 MB gzipped and pkg/gator/reader does not
// build for js); gatekeeper_wasm.go answers every request with an error that says so.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	constraintclient "github.com/open-policy-agent/frameworks/constraint/pkg/client"
	"github.com/open-policy-agent/frameworks/constraint/pkg/client/drivers/rego"
	"github.com/open-policy-agent/frameworks/constraint/pkg/client/reviews"
	"github.com/open-policy-agent/frameworks/constraint/pkg/apis/constraints"
	"github.com/open-policy-agent/gatekeeper/v3/apis"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/drivers/k8scel"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/gator/expand"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/gator/reader"
	mutationtypes "github.com/open-policy-agent/gatekeeper/v3/pkg/mutation/types"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/target"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/util"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

const gatekeeperAvailable = true

var gkScheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}()

type gkHandle struct {
	client *constraintclient.Client
}

var gkHandles = struct {
	sync.Mutex
	m    map[int]*gkHandle
	next int
}{m: map[int]*gkHandle{}, next: 1}

// gkPrepareRequest: engines is "both" (Gatekeeper's default: CEL wins when the template has it),
// "rego" or "cel" (only that driver is registered, so the template must carry that engine's code).
type gkPrepareRequest struct {
	Template   map[string]any `json:"constraintTemplate"`
	Constraint map[string]any `json:"constraint"`
	Engines    string         `json:"engines"`
}

// gkPrepare builds one client with the template and constraint, as the gator runner does for a case.
// schemaError tells a constraint the template's schema rejects (constraints.ErrSchema) from other errors.
func gkPrepare(raw json.RawMessage) map[string]any {
	var req gkPrepareRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return map[string]any{"error": "bad gkPrepare request: " + err.Error()}
	}
	args := []constraintclient.Opt{constraintclient.Targets(&target.K8sValidationTarget{})}
	if req.Engines != "rego" {
		k8sDriver, err := k8scel.New()
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		args = append(args, constraintclient.Driver(k8sDriver))
	}
	if req.Engines != "cel" {
		driver, err := rego.New()
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		args = append(args, constraintclient.Driver(driver))
	}
	args = append(args, constraintclient.EnforcementPoints(util.GatorEnforcementPoint))
	client, err := constraintclient.NewClient(args...)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	template, err := reader.ToTemplate(gkScheme, &unstructured.Unstructured{Object: req.Template})
	if err != nil {
		return map[string]any{"error": "adding template: " + err.Error()}
	}
	if _, err := client.AddTemplate(context.Background(), template); err != nil {
		return map[string]any{"error": "adding template: " + err.Error()}
	}
	// no constraint: the caller only checks that the template compiles (azpol validate)
	if req.Constraint == nil {
		return map[string]any{"handle": 0}
	}
	if _, err := client.AddConstraint(context.Background(), &unstructured.Unstructured{Object: req.Constraint}); err != nil {
		return map[string]any{"error": "adding constraint: " + err.Error(), "schemaError": errors.Is(err, constraints.ErrSchema)}
	}
	gkHandles.Lock()
	id := gkHandles.next
	gkHandles.next++
	gkHandles.m[id] = &gkHandle{client: client}
	gkHandles.Unlock()
	return map[string]any{"handle": id}
}

// gkReviewItem is one thing to review: a plain object, or the request of an AdmissionReview.
type gkReviewItem struct {
	Object    map[string]any  `json:"object"`
	Request   json.RawMessage `json:"request"`
	Namespace map[string]any  `json:"namespace"`
	Generated bool            `json:"generated"`
}

type gkResult struct {
	Violations []Violation `json:"violations"`
	Error      string      `json:"error,omitempty"`
}

func gkReview(handle int, raw json.RawMessage) map[string]any {
	gkHandles.Lock()
	h, ok := gkHandles.m[handle]
	gkHandles.Unlock()
	if !ok {
		return map[string]any{"error": "unknown gatekeeper handle"}
	}
	var items []gkReviewItem
	if err := json.Unmarshal(raw, &items); err != nil {
		return map[string]any{"error": "bad gkReview items: " + err.Error()}
	}
	out := make([]gkResult, len(items))
	for i, item := range items {
		out[i] = reviewOne(h.client, item)
	}
	return map[string]any{"results": out}
}

func reviewOne(client *constraintclient.Client, item gkReviewItem) gkResult {
	source := mutationtypes.SourceTypeOriginal
	if item.Generated {
		source = mutationtypes.SourceTypeGenerated
	}
	var ns *corev1.Namespace
	if item.Namespace != nil {
		ns = &corev1.Namespace{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(item.Namespace, ns); err != nil {
			return gkResult{Violations: []Violation{}, Error: err.Error()}
		}
	}
	var subject any
	if len(item.Request) > 0 {
		var req admissionv1.AdmissionRequest
		if err := json.Unmarshal(item.Request, &req); err != nil {
			return gkResult{Violations: []Violation{}, Error: err.Error()}
		}
		subject = target.AugmentedReview{AdmissionRequest: &req, Namespace: ns, Source: source}
	} else {
		subject = target.AugmentedUnstructured{Object: unstructured.Unstructured{Object: item.Object}, Namespace: ns, Source: source}
	}
	responses, err := client.Review(context.Background(), subject, reviews.EnforcementPoint(util.GatorEnforcementPoint))
	if err != nil {
		return gkResult{Violations: []Violation{}, Error: err.Error()}
	}
	violations := []Violation{}
	for _, r := range responses.Results() {
		violations = append(violations, Violation{Msg: r.Msg, Details: r.Metadata["details"]})
	}
	return gkResult{Violations: violations}
}

func gkRelease(handle int) {
	gkHandles.Lock()
	delete(gkHandles.m, handle)
	gkHandles.Unlock()
}

// gkExpand expands one object with the given ExpansionTemplates the way gator verify does
// (pkg/gator/verify/runner.go makeTestExpander + Expand): resultants in gator's order.
func gkExpand(raw json.RawMessage, object map[string]any) map[string]any {
	var templates []map[string]any
	if err := json.Unmarshal(raw, &templates); err != nil {
		return map[string]any{"error": "bad expand request: " + err.Error()}
	}
	resources := make([]*unstructured.Unstructured, len(templates))
	for i, t := range templates {
		resources[i] = &unstructured.Unstructured{Object: t}
	}
	expander, err := expand.NewExpander(resources)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	resultants, err := expander.Expand(&unstructured.Unstructured{Object: object})
	if err != nil {
		return map[string]any{"error": fmt.Sprintf("expanding resource: %s", err)}
	}
	out := make([]map[string]any, len(resultants))
	for i, r := range resultants {
		out[i] = map[string]any{"object": r.Obj.Object, "templateName": r.TemplateName, "enforcementAction": r.EnforcementAction}
	}
	return map[string]any{"resultants": out}
}
