package main

import (
	"io"
	"os"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// hclFormat is `oracle hclfmt`: stdin formatted by hclwrite.Format, the formatter `terraform fmt`
// is built on (terraform internal/command/fmt.go also unwraps "${...}" interpolations and quoted
// type names, which azpol never writes). The full terraform CLI cannot be built from the Go
// module proxy: its module zip leaves out the nested backend modules its go.mod replaces.
func hclFormat() error {
	src, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(hclwrite.Format(src))
	return err
}
