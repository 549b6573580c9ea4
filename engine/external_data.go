package main

// Gatekeeper's external_data builtin (pkg/externaldata, registered by the constraint framework's
// Rego driver when external data is on, as it is on the AKS add-on since 1.4.0): a template asks a
// provider for values by key. azpol has no provider offline, so the builtin answers with no
// responses and a system_error, and the evaluation is marked: its verdict is reported as "not
// evaluated offline (external data)", never as a pass.

import (
	"context"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

const externalDataMessage = "not evaluated offline (external data): azpol has no external data provider"

type externalDataKey struct{}

// externalDataCapabilities adds external_data(object) -> object to OPA's builtins, so a template
// that calls it compiles as it does in Gatekeeper.
func externalDataCapabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = append(caps.Builtins, &ast.Builtin{
		Name: "external_data",
		Decl: types.NewFunction(types.Args(types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))), types.A),
	})
	return caps
}

// externalDataFunction answers every call with no responses and marks the evaluation's context.
func externalDataFunction() func(*rego.Rego) {
	return rego.Function1(
		&rego.Function{Name: "external_data", Decl: types.NewFunction(types.Args(types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))), types.A), Nondeterministic: true},
		func(bctx rego.BuiltinContext, _ *ast.Term) (*ast.Term, error) {
			if called, ok := bctx.Context.Value(externalDataKey{}).(*bool); ok {
				*called = true
			}
			return ast.ObjectTerm(
				ast.Item(ast.StringTerm("responses"), ast.ArrayTerm()),
				ast.Item(ast.StringTerm("errors"), ast.ArrayTerm()),
				ast.Item(ast.StringTerm("status_code"), ast.IntNumberTerm(200)),
				ast.Item(ast.StringTerm("system_error"), ast.StringTerm(externalDataMessage)),
			), nil
		},
	)
}

// withExternalDataMark returns a context whose external_data calls set *called.
func withExternalDataMark(ctx context.Context, called *bool) context.Context {
	return context.WithValue(ctx, externalDataKey{}, called)
}
