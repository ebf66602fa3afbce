package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/parcours-emploi/parcours/matching"
)

// runGenerate is `parcours generate`: it writes a seeded random batch as a
// DIMACS file in design.md's shape to stdout, for benchmarks and for
// checking the solver against independent ones.
func runGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt matching.GenerateOptions
	var capMin, capMax int
	fs.IntVar(&opt.Seekers, "seekers", 1000, "number of seekers")
	fs.IntVar(&opt.Openings, "openings", 1000, "number of openings")
	fs.IntVar(&opt.ArcsPerSeeker, "arcs", 30, "candidate openings per seeker (distinct)")
	fs.IntVar(&capMin, "capmin", 1, "smallest opening capacity")
	fs.IntVar(&capMax, "capmax", 5, "largest opening capacity")
	fs.IntVar(&opt.Popular, "popular", 0, "the first openings, among every seeker's candidates (counted in -arcs)")
	fs.IntVar(&opt.ScoreLevels, "scores", 0, "draw scores from this many evenly spaced values in 0..1000 (0: realistic scores)")
	seed := fs.Int64("seed", 1, "random seed: equal seeds and flags give equal files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parcours generate [-seekers N] [-openings M] [-arcs K] [-capmin A] [-capmax B] [-scores L] [-popular P] [-seed S] > batch.min")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("generate: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case opt.Seekers < 0 || opt.Openings < 0 || opt.ArcsPerSeeker < 0 || opt.ScoreLevels < 0 || opt.Popular < 0:
		return errors.New("generate: counts must be >= 0")
	case capMin < 0 || capMax < capMin || capMax > 1<<30:
		return errors.New("generate: want 0 <= capmin <= capmax <= 2^30")
	case int64(opt.Seekers)*int64(min(opt.ArcsPerSeeker, opt.Openings)) > 1<<30:
		return errors.New("generate: more than 2^30 candidate arcs")
	}
	opt.CapacityMin, opt.CapacityMax = int32(capMin), int32(capMax)
	p := matching.GenerateProblem(*seed, opt)
	if err := matching.WriteDIMACS(stdout, p); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}
