package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/parcours-emploi/parcours/matching"
)

// runSolve is `parcours solve FILE`: it reads a batch in design.md's DIMACS
// shape from FILE (or stdin for "-"), solves it exactly and prints the
// optimum as DIMACS solution lines, "s COST" then "f u v 1" per assigned
// seeker, in the file's node ids.
func runSolve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parcours solve FILE   (FILE - reads stdin)")
		fmt.Fprintln(stderr, "Reads a DIMACS min-cost-flow batch (design.md's shape) and prints its optimum:")
		fmt.Fprintln(stderr, "\"s COST\" then \"f SEEKER OPENING 1\" for each assigned seeker.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("solve: want exactly one FILE argument (- for stdin)")
	}
	name := fs.Arg(0)
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("solve: %w", err)
		}
		defer f.Close()
		in = f
	}
	file, err := matching.ParseDIMACS(in)
	if err != nil {
		return fmt.Errorf("solve %s: %w", name, err)
	}
	sol, err := matching.Solve(file.Problem)
	if err != nil {
		return fmt.Errorf("solve %s: %w", name, err)
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	if err := file.WriteSolution(w, sol); err != nil {
		return fmt.Errorf("solve %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("solve %s: write: %w", name, err)
	}
	return nil
}
