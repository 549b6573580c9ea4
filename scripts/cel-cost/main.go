// cel-cost measures what the Kubernetes CEL runtime charges for a ConstraintTemplate's
// K8sNativeValidation code on given objects, compiled and evaluated exactly as Gatekeeper's
// k8scel driver does (open-policy-agent/gatekeeper v3.20.1 pkg/drivers/k8scel/driver.go
// AddTemplate and Query): the same composited compiler and environment
// (environment.MustBaseEnvSet(DefaultCompatibilityVersion(), StrictCost)), Gatekeeper's variables
// (variables.params, variables.anyObject) and the template's own.
//
// For each object it prints one JSON line:
//   - cost: the runtime cost of every validation and the variables it reads (k8s.io/apiserver
//     plugin/cel ForInput with an unlimited policy budget; each expression still has the
//     per-call limit, 1,000,000, that the base environment sets with cel.CostLimit);
//   - messageCost: the same for the messageExpressions, which validating.Validate evaluates
//     next, all of them, from what remains of the same budget;
//   - perCallErrors: expressions that ran out of that per-call limit (their cost is at least the figure);
//   - gatekeeper: the decisions Gatekeeper's webhook reaches (the k8scel driver passes
//     celconfig.PerCallLimit, 1,000,000, as the budget of the whole template);
//   - vap: the decisions a ValidatingAdmissionPolicy reaches in the API server
//     (validating/dispatcher.go passes celconfig.RuntimeCELCostBudget, 10,000,000, per binding).
//
// Input (stdin): {"template": <ConstraintTemplate>, "constraint": <constraint>, "objects": [{"name", "object"}]}.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/open-policy-agent/frameworks/constraint/pkg/core/templates"
	"github.com/open-policy-agent/gatekeeper/v3/apis"
	pSchema "github.com/open-policy-agent/gatekeeper/v3/pkg/drivers/k8scel/schema"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/drivers/k8scel/transform"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/gator/reader"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/admission/plugin/cel"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	celAPI "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/environment"
)

type input struct {
	Template   map[string]any `json:"template"`
	Constraint map[string]any `json:"constraint"`
	Objects    []struct {
		Name   string         `json:"name"`
		Object map[string]any `json:"object"`
	} `json:"objects"`
}

type decision struct {
	Action  string `json:"action"`
	Message string `json:"message"`
}

type output struct {
	Name          string     `json:"name"`
	Cost          int64      `json:"cost"`
	MessageCost   int64      `json:"messageCost"`
	PerCallErrors []string   `json:"perCallErrors"`
	Gatekeeper    []decision `json:"gatekeeper"`
	VAP           []decision `json:"vap"`
	Error         string     `json:"error,omitempty"`
}

// compiled is one template compiled as driver.go AddTemplate compiles it.
type compiled struct {
	validations cel.ConditionEvaluator
	messages    cel.ConditionEvaluator
	validator   validating.Validator
}

func compile(ct *templates.ConstraintTemplate) (*compiled, error) {
	source, err := pSchema.GetSourceFromTemplate(ct)
	if err != nil {
		return nil, err
	}
	vapVars := transform.AllVariablesCEL()
	suffix, err := source.GetVariables()
	if err != nil {
		return nil, err
	}
	vapVars = append(vapVars, suffix...)
	celVars := cel.OptionalVariableDeclarations{}
	withParams := cel.OptionalVariableDeclarations{HasParams: true}
	compiler, err := cel.NewCompositedCompiler(environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion(), transform.StrictCost))
	if err != nil {
		return nil, err
	}
	compiler.CompileAndStoreVariables(vapVars, withParams, environment.StoredExpressions)
	failurePolicy, err := source.GetFailurePolicy()
	if err != nil {
		return nil, err
	}
	validations, err := source.GetValidations()
	if err != nil {
		return nil, err
	}
	messages, err := source.GetMessageExpressions()
	if err != nil {
		return nil, err
	}
	validationFilter := compiler.CompileCondition(validations, celVars, environment.StoredExpressions)
	messageFilter := compiler.CompileCondition(messages, celVars, environment.StoredExpressions)
	validator := validating.NewValidator(validationFilter, nil, compiler.CompileCondition(nil, celVars, environment.StoredExpressions), messageFilter, failurePolicy)
	return &compiled{validations: validationFilter, messages: messageFilter, validator: validator}, nil
}

func decisions(r validating.ValidateResult) []decision {
	out := []decision{}
	for _, d := range r.Decisions {
		out = append(out, decision{Action: string(d.Action), Message: d.Message})
	}
	return out
}

func measure(c *compiled, constraint *unstructured.Unstructured, object map[string]any) output {
	raw, err := json.Marshal(object)
	if err != nil {
		return output{Error: err.Error()}
	}
	obj := &unstructured.Unstructured{Object: object}
	gvk := obj.GroupVersionKind()
	request := &admissionv1.AdmissionRequest{
		UID:       "cel-cost",
		Kind:      metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Operation: admissionv1.Create,
		Name:      obj.GetName(),
		Namespace: obj.GetNamespace(),
		Object:    runtime.RawExtension{Raw: raw},
	}
	attr, err := transform.RequestToVersionedAttributes(request)
	if err != nil {
		return output{Error: err.Error()}
	}
	ctx := context.Background()
	resource := attr.GetResource()
	admissionRequest := cel.CreateAdmissionRequest(attr.Attributes, metav1.GroupVersionResource(resource), metav1.GroupVersionKind(attr.VersionedKind))
	const unlimited = int64(1) << 50
	results, remaining, err := c.validations.ForInput(ctx, attr, admissionRequest, cel.OptionalVariableBindings{VersionedParams: constraint}, nil, unlimited)
	out := output{Cost: unlimited - remaining, PerCallErrors: []string{}}
	if err != nil {
		out.Error = err.Error()
	}
	// validating.Validate evaluates every messageExpression after the validations, in a new
	// composition context (variables evaluated again), from what remains of the same budget.
	messages, remainingAfterMessages, err := c.messages.ForInput(ctx, attr, admissionRequest, cel.OptionalVariableBindings{VersionedParams: constraint}, nil, unlimited)
	out.MessageCost = unlimited - remainingAfterMessages
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	for _, r := range append(results, messages...) {
		// Only running out of the per-call limit; a messageExpression may fail otherwise (and
		// then the static message is used).
		if r.Error != nil && strings.Contains(r.Error.Error(), "cost limit exceeded") {
			out.PerCallErrors = append(out.PerCallErrors, r.Error.Error())
		}
	}
	out.Gatekeeper = decisions(c.validator.Validate(ctx, resource, attr, constraint, nil, celAPI.PerCallLimit, nil))
	out.VAP = decisions(c.validator.Validate(ctx, resource, attr, constraint, nil, celAPI.RuntimeCELCostBudget, nil))
	return out
}

func main() {
	var in input
	dec := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	scheme := runtime.NewScheme()
	if err := apis.AddToScheme(scheme); err != nil {
		panic(err)
	}
	ct, err := reader.ToTemplate(scheme, &unstructured.Unstructured{Object: in.Template})
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading template:", err)
		os.Exit(2)
	}
	c, err := compile(ct)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compiling template:", err)
		os.Exit(2)
	}
	constraint := &unstructured.Unstructured{Object: in.Constraint}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for _, o := range in.Objects {
		out := measure(c, constraint, o.Object)
		out.Name = o.Name
		if err := enc.Encode(out); err != nil {
			panic(err)
		}
	}
}
