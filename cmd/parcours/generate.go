package main

import (
	"errors"
	"io"
)

// runGenerate is replaced by the seeded instance generator (issue 3).
func runGenerate(args []string, stdout, stderr io.Writer) error {
	return errors.New("generate: not built yet")
}
