package main

import "github.com/open-policy-agent/opa/v1/version"

func opaVersion() string { return version.Version }
