package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-emploi/parcours/matching"
)

func TestRunSolve(t *testing.T) {
	const batch = "c two seekers, one place\np min 5 6\nn 1 2\nn 2 -2\na 1 2 0 2 0\na 1 3 0 1 0\na 1 4 0 1 0\na 3 5 0 1 -500\na 4 5 0 1 -800\na 5 2 0 1 0\n"
	dir := t.TempDir()
	file := filepath.Join(dir, "batch.min")
	if err := os.WriteFile(file, []byte(batch), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.min")
	if err := os.WriteFile(bad, []byte("p min 5 6\nn 1 2\nn 2 -2\na 1 2 0 2 0\na 1 3 0 -1 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		stdin   string
		want    string
		wantErr string
	}{
		{name: "file: the better seeker takes the place", args: []string{file}, want: "s -800\nf 4 5 1\n"},
		{name: "stdin with -", args: []string{"-"}, stdin: batch, want: "s -800\nf 4 5 1\n"},
		{name: "no argument", args: nil, wantErr: "exactly one FILE"},
		{name: "two arguments", args: []string{file, file}, wantErr: "exactly one FILE"},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.min")}, wantErr: "no such file"},
		{name: "negative capacity names the line", args: []string{bad}, wantErr: "dimacs line 5: arc 1->3 has a negative capacity"},
		{name: "not DIMACS at all", args: []string{"-"}, stdin: "hello\n", wantErr: "dimacs line 1: unknown line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := runSolve(tt.args, strings.NewReader(tt.stdin), &out, &errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("runSolve error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("runSolve: %v", err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunGenerate(t *testing.T) {
	gen := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := runGenerate(args, &out, &errOut); err != nil {
			t.Fatalf("runGenerate %v: %v", args, err)
		}
		return out.String()
	}
	args := []string{"-seekers", "50", "-openings", "40", "-arcs", "7", "-capmin", "0", "-capmax", "3", "-seed", "9"}
	first := gen(args...)
	if diff := cmp.Diff(first, gen(args...)); diff != "" {
		t.Errorf("same seed, different files (-first +second):\n%s", diff)
	}
	if other := gen(append(args[:len(args)-1:len(args)-1], "10")...); other == first {
		t.Error("seeds 9 and 10 gave the same file")
	}
	p, err := matching.ReadDIMACS(strings.NewReader(first))
	if err != nil {
		t.Fatalf("generated file does not read back: %v", err)
	}
	if p.Seekers != 50 || len(p.Capacities) != 40 || len(p.Arcs) != 50*7 {
		t.Errorf("generated %d seekers, %d openings, %d arcs; want 50, 40, 350", p.Seekers, len(p.Capacities), len(p.Arcs))
	}
	for _, bad := range [][]string{{"-seekers", "-1"}, {"-capmin", "3", "-capmax", "2"}, {"extra"}} {
		if err := runGenerate(bad, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("runGenerate %v succeeded", bad)
		}
	}
}

// TestSolveMatchesLEMON runs the real binary and LEMON's dimacs-solver on
// the same generated files, of varied shapes up to 5,000 x 5,000 (each shape
// of the solver's benchmarks among them), and wants
// the same optimum cost. Without dimacs-solver on PATH it skips, except under
// CI=true where it fails.
func TestSolveMatchesLEMON(t *testing.T) {
	lemon, err := exec.LookPath("dimacs-solver")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dimacs-solver (Debian package liblemon-utils) is not on PATH; CI must install it")
		}
		t.Skip("dimacs-solver (Debian package liblemon-utils) is not on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "parcours")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	type shape = matching.GenerateOptions
	tests := []struct {
		name string
		opt  shape
	}{
		{"no seekers", shape{Openings: 10, CapacityMin: 1, CapacityMax: 3}},
		{"one seeker", shape{Seekers: 1, Openings: 1000, ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 1}},
		{"no candidate arcs", shape{Seekers: 100, Openings: 100, CapacityMin: 1, CapacityMax: 5}},
		{"all capacities 0", shape{Seekers: 200, Openings: 100, ArcsPerSeeker: 10}},
		{"sparse", shape{Seekers: 3000, Openings: 3000, ArcsPerSeeker: 3, CapacityMin: 1, CapacityMax: 2}},
		{"dense", shape{Seekers: 300, Openings: 200, ArcsPerSeeker: 200, CapacityMin: 0, CapacityMax: 2}},
		{"many ties", shape{Seekers: 3000, Openings: 2000, ArcsPerSeeker: 20, CapacityMin: 0, CapacityMax: 2, ScoreLevels: 3}},
		{"only 0 and 1000", shape{Seekers: 2000, Openings: 2000, ArcsPerSeeker: 10, CapacityMin: 0, CapacityMax: 1, ScoreLevels: 2}},
		{"capacities 0 to large", shape{Seekers: 5000, Openings: 100, ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 1000}},
		{"scarce places", shape{Seekers: 5000, Openings: 5000, ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 1}},
		{"5k x 5k, 30 arcs, capacities 1-5", shape{Seekers: 5000, Openings: 5000, ArcsPerSeeker: 30, CapacityMin: 1, CapacityMax: 5}},
		// The benchmark shapes of matching/BENCHMARKS.md at 5k.
		{"5k, three score levels, capacities 0-2", shape{Seekers: 5000, Openings: 5000, ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 2, ScoreLevels: 3}},
		{"5k, 10 popular openings, capacities 0-50", shape{Seekers: 5000, Openings: 5000, ArcsPerSeeker: 30, CapacityMin: 0, CapacityMax: 50, Popular: 10}},
		{"dense small, 2k x 1k, 500 arcs, capacities 0-2", shape{Seekers: 2000, Openings: 1000, ArcsPerSeeker: 500, CapacityMin: 0, CapacityMax: 2}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := matching.GenerateProblem(int64(100+i), tt.opt)
			file := filepath.Join(dir, fmt.Sprintf("case%d.min", i))
			var b bytes.Buffer
			if err := matching.WriteDIMACS(&b, p); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "solve", file).Output()
			if err != nil {
				t.Fatalf("parcours solve: %v", err)
			}
			got := checkPrintedSolution(t, p, string(out))
			want := lemonCost(t, lemon, file)
			if got != want {
				t.Errorf("parcours solve cost %d, dimacs-solver %d", got, want)
			}
		})
	}
}

var lemonCostLine = regexp.MustCompile(`(?m)^Min flow cost: (-?\d+)\s*$`)

// lemonCost runs LEMON's dimacs-solver on file and returns its minimum cost.
func lemonCost(t *testing.T, lemon, file string) int64 {
	t.Helper()
	// dimacs-solver reports on stderr; -q would hide the cost.
	out, err := exec.Command(lemon, file).CombinedOutput()
	if err != nil {
		t.Fatalf("dimacs-solver: %v\n%s", err, out)
	}
	m := lemonCostLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no \"Min flow cost\" in dimacs-solver's output:\n%s", out)
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPrintedSolution checks parcours solve's output against p written by
// matching.WriteDIMACS (seeker s is node s+3, opening o node Seekers+o+3):
// flow lines on candidate arcs only, each seeker once, capacities held, and
// costs adding up to the printed cost, which it returns.
func checkPrintedSolution(t *testing.T, p *matching.Problem, out string) int64 {
	t.Helper()
	best := map[[2]int64]int64{}
	for _, a := range p.Arcs {
		k := [2]int64{int64(a.Seeker) + 3, int64(a.Opening) + int64(p.Seekers) + 3}
		best[k] = max(best[k], int64(a.Score))
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	cost, ok := strings.CutPrefix(lines[0], "s ")
	if !ok {
		t.Fatalf("output does not start with an s line: %q", lines[0])
	}
	printed, err := strconv.ParseInt(cost, 10, 64)
	if err != nil {
		t.Fatalf("bad s line %q", lines[0])
	}
	seen := map[int64]bool{}
	load := map[int64]int64{}
	var sum int64
	for _, l := range lines[1:] {
		var u, v, flow int64
		if _, err := fmt.Sscanf(l, "f %d %d %d", &u, &v, &flow); err != nil || flow != 1 {
			t.Fatalf("bad flow line %q", l)
		}
		score, ok := best[[2]int64{u, v}]
		if !ok {
			t.Fatalf("flow on %d->%d, not a candidate arc", u, v)
		}
		if seen[u] {
			t.Fatalf("seeker node %d has two flow lines", u)
		}
		seen[u] = true
		load[v]++
		if o := v - int64(p.Seekers) - 3; load[v] > int64(p.Capacities[o]) {
			t.Fatalf("opening node %d over its capacity %d", v, p.Capacities[o])
		}
		sum -= score
	}
	if sum != printed {
		t.Fatalf("flow lines cost %d, the s line says %d", sum, printed)
	}
	return printed
}
