package main

import (
	"errors"
	"io"
)

// runSolve is replaced by the offline solver (issue 3).
func runSolve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("solve: not built yet")
}
