package matching

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestWriteDIMACS(t *testing.T) {
	p := &Problem{Seekers: 2, Capacities: []int32{3, 0}, Arcs: []Arc{{0, 1, 250}, {1, 0, 0}}}
	var b bytes.Buffer
	if err := WriteDIMACS(&b, p); err != nil {
		t.Fatal(err)
	}
	want := `c Parcours batch: 2 seekers, 2 openings, 2 candidate pairs
p min 6 7
n 1 2
n 2 -2
a 1 2 0 2 0
a 1 3 0 1 0
a 1 4 0 1 0
a 3 6 0 1 -250
a 4 5 0 1 0
a 5 2 0 3 0
a 6 2 0 0 0
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteDIMACS (-want +got):\n%s", diff)
	}
}

func TestDIMACSRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		opt  GenerateOptions
	}{
		{"no seekers", GenerateOptions{Openings: 3, CapacityMax: 2}},
		{"no openings", GenerateOptions{Seekers: 3, ArcsPerSeeker: 2}},
		{"no candidate arcs", GenerateOptions{Seekers: 4, Openings: 4, CapacityMin: 1, CapacityMax: 1}},
		{"sparse, realistic scores", GenerateOptions{Seekers: 300, Openings: 200, ArcsPerSeeker: 5, CapacityMin: 1, CapacityMax: 5}},
		{"dense with ties and zero capacities", GenerateOptions{Seekers: 40, Openings: 30, ArcsPerSeeker: 30, CapacityMax: 2, ScoreLevels: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := GenerateProblem(5, tt.opt)
			var b bytes.Buffer
			if err := WriteDIMACS(&b, p); err != nil {
				t.Fatal(err)
			}
			got, err := ReadDIMACS(&b)
			if err != nil {
				t.Fatalf("ReadDIMACS: %v", err)
			}
			if diff := cmp.Diff(p, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseDIMACSAnyNumbering reads a file whose source, sink, seekers and
// openings are numbered in no particular order, and prints the solution in
// that numbering.
func TestParseDIMACSAnyNumbering(t *testing.T) {
	in := `c seekers 6 and 2, openings 4 and 1; source 5, sink 3
p min 6 8

n 5 2
n 3 -2
a 4 3 0 1 0
a 6 1 0 1 -100
a 5 6 0 1 0
a 2 4 0 1 -900
a 6 4 0 1 -800
a 5 3 0 2 0
a 1 3 0 2 0
a 5 2 0 1 0
`
	f, err := ParseDIMACS(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &DIMACSFile{
		Problem: &Problem{
			Seekers:    2,
			Capacities: []int32{2, 1},
			// Seeker 0 is node 2, seeker 1 node 6; opening 0 is node 1,
			// opening 1 node 4.
			Arcs: []Arc{{1, 0, 100}, {0, 1, 900}, {1, 1, 800}},
		},
		Source: 5, Sink: 3,
		SeekerNodes:  []int32{2, 6},
		OpeningNodes: []int32{1, 4},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Fatalf("ParseDIMACS (-want +got):\n%s", diff)
	}
	sol, err := Solve(f.Problem)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.WriteSolution(&out, sol); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("s -1000\nf 2 4 1\nf 6 1 1\n", out.String()); diff != "" {
		t.Errorf("WriteSolution (-want +got):\n%s", diff)
	}
}

func TestParseDIMACSAcceptsVariants(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Problem
	}{
		{
			name: "no seekers and no supply lines: source 1, sink 2",
			in:   "p min 3 2\na 1 2 0 0 0\na 3 2 0 4 0\n",
			want: &Problem{Capacities: []int32{4}},
		},
		{
			name: "CRLF line ends, tabs, comments everywhere, no final newline",
			in:   "c hello\r\np\tmin 4 4\r\nn 1 1\r\nc between\r\nn 2 -1\r\na 1 2 0 1 0\r\na 1 3 0 1 0\r\na 3 4 0 1 -5\r\na 4 2 0 1 0",
			want: &Problem{Seekers: 1, Capacities: []int32{1}, Arcs: []Arc{{0, 0, 5}}},
		},
		{
			name: "zero supply lines for other nodes",
			in:   "p min 4 4\nn 1 1\nn 2 -1\nn 3 0\nn 4 0\na 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 -0\na 4 2 0 0 0\n",
			want: &Problem{Seekers: 1, Capacities: []int32{0}, Arcs: []Arc{{0, 0, 0}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadDIMACS(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadDIMACS: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ReadDIMACS (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDIMACSRejectsOtherShapes(t *testing.T) {
	const head = "p min 4 4\nn 1 1\nn 2 -1\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", "no problem line"},
		{"max problem instead of min", "p max 4 4\n", "p min NODES ARCS"},
		{"problem line without counts", "p min\n", "p min NODES ARCS"},
		{"two problem lines", "p min 4 4\np min 4 4\n", "second problem line"},
		{"unknown line type", head + "x 1 2\n", "unknown line"},
		{"word glued to the type", head + "arc 1 2 0 1 0\n", "unknown line"},
		{"arc before the problem line", "a 1 2 0 1 0\n", "before the problem line"},
		{"node line before the problem line", "n 1 1\n", "before the problem line"},
		{"node line after arcs", head + "a 1 2 0 1 0\nn 3 0\n", "after arc lines"},
		{"arc with a missing field", head + "a 1 2 0 1\n", "a FROM TO LOW CAP COST"},
		{"arc with an extra field", head + "a 1 2 0 1 0 7\n", "a FROM TO LOW CAP COST"},
		{"arc with a non-number", head + "a 1 2 0 x 0\n", "a FROM TO LOW CAP COST"},
		{"number too large", head + "a 1 2 0 99999999999999999999 0\n", "a FROM TO LOW CAP COST"},
		{"node id out of range", head + "a 1 5 0 1 0\n", "node 5 is outside 1..4"},
		{"node id zero", "p min 4 4\nn 0 1\n", "node 0 is outside"},
		{"negative capacity", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 -1 0\n", "negative capacity"},
		{"non-zero lower bound", head + "a 1 2 0 1 0\na 1 3 1 1 0\n", "lower bound 1"},
		{"source to sink capacity is not the supply", head + "a 1 2 0 3 0\n", "source to sink arc must have capacity 1"},
		{"two source to sink arcs", "p min 2 2\nn 1 0\na 1 2 0 0 0\na 1 2 0 0 0\n", "second source to sink arc"},
		{"two arcs from one opening to the sink", head + "a 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 1 0\na 4 2 0 1 0\n", "second arc from opening 4"},
		{"no source to sink arc at all", "p min 4 3\nn 1 1\nn 2 -1\na 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 1 0\n", "no arc from the source 1 to the sink 2"},
		{"seeker arc with capacity 2", head + "a 1 2 0 1 0\na 1 3 0 2 0\n", "capacity 1 and cost 0"},
		{"candidate arc with a positive cost", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 5\n", "between"},
		{"candidate arc with capacity 2", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 2 -5\n", "must have capacity 1"},
		{"sink arc with a cost", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 1 3\n", "into the sink must have cost 0"},
		{"arc into the source", head + "a 3 1 0 1 0\n", "enters the source"},
		{"arc out of the sink", head + "a 2 3 0 1 0\n", "leaves the sink"},
		{"loop", head + "a 3 3 0 1 0\n", "loop"},
		{"fewer arcs than announced", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 4 2 0 1 0\n", "announces 4 arcs, the file has 3"},
		{"more arcs than announced", "p min 2 1\na 1 2 0 0 0\na 1 2 0 0 0\n", "more arc lines"},
		{"supply without a sink", "p min 2 1\nn 1 1\na 1 2 0 1 0\n", "no node has supply -1"},
		{"unbalanced supplies", "p min 2 1\nn 1 2\nn 2 -1\n", "does not balance"},
		{"two sources", "p min 3 2\nn 1 1\nn 3 1\n", "both have a positive supply"},
		{"supply differs from the seeker count", "p min 4 4\nn 1 2\nn 2 -2\na 1 2 0 2 0\na 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 1 0\n", "supplies 2 but has arcs to 1 seekers"},
		{"node both seeker and opening", head + "a 1 2 0 1 0\na 1 3 0 1 0\na 3 2 0 1 0\na 4 2 0 1 0\n", "both a seeker"},
		{"node without a role", "p min 5 4\nn 1 1\nn 2 -1\na 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 -5\na 4 2 0 1 0\n", "node 5 is neither"},
		{"candidate arc between two seekers", "p min 5 5\nn 1 2\nn 2 -2\na 1 2 0 2 0\na 1 3 0 1 0\na 1 4 0 1 0\na 3 4 0 1 -5\na 5 2 0 1 0\n", "does not go from a seeker"},
		{"candidate arc from an opening", "p min 5 6\nn 1 1\nn 2 -1\na 1 2 0 1 0\na 1 3 0 1 0\na 4 2 0 1 0\na 5 2 0 1 0\na 4 5 0 1 -1\na 3 4 0 1 -1\n", "does not go from a seeker"},
		{"more nodes than arcs allow", "p min 10 2\n", "cannot all have arcs"},
		{"line too long", "c " + strings.Repeat("x", maxDIMACSLine+10), "line longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDIMACS(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ReadDIMACS accepted %q", tt.in)
			}
			var de *DIMACSError
			if !errors.As(err, &de) {
				t.Errorf("error %v is not a *DIMACSError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestDIMACSSolutionIsFeasibleAndOptimal writes random small batches, reads
// them back, solves them and checks the printed solution against the file:
// every "f" line is a candidate arc, no seeker twice, no opening over its
// capacity, the costs add up to the printed cost, which is minus the brute
// force optimum.
func TestDIMACSSolutionIsFeasibleAndOptimal(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 1000; i++ {
		p := randomSmallProblem(rng)
		var file bytes.Buffer
		if err := WriteDIMACS(&file, p); err != nil {
			t.Fatal(err)
		}
		text := file.String()
		f, err := ParseDIMACS(strings.NewReader(text))
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		sol, err := Solve(f.Problem)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := f.WriteSolution(&out, sol); err != nil {
			t.Fatal(err)
		}
		cost := checkDIMACSSolution(t, text, out.String())
		if want := -bruteForce(p); cost != want {
			t.Fatalf("instance %d: printed cost %d, brute force %d\n%s", i, cost, want, text)
		}
	}
}

func TestWriteDIMACSSolutionRejectsMismatch(t *testing.T) {
	p := &Problem{Seekers: 2, Capacities: []int32{1}}
	tests := []struct {
		name string
		s    Solution
	}{
		{"fewer assignments than seekers", Solution{Assigned: []int32{-1}}},
		{"unknown opening", Solution{Assigned: []int32{-1, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteDIMACSSolution(&bytes.Buffer{}, p, tt.s); err == nil {
				t.Error("WriteDIMACSSolution accepted a solution that does not fit the problem")
			}
		})
	}
}

// checkDIMACSSolution checks solution lines against the DIMACS problem text
// independently of the parser, and returns the printed cost.
func checkDIMACSSolution(t *testing.T, problem, solution string) int64 {
	t.Helper()
	type pair struct{ u, v int64 }
	source, sink := int64(1), int64(2)
	bestCost := map[pair]int64{} // cheapest candidate arc per pair
	capacity := map[int64]int64{}
	sc := bufio.NewScanner(strings.NewReader(problem))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "a" {
			continue
		}
		u, v, c, cost := atoi(t, f[1]), atoi(t, f[2]), atoi(t, f[4]), atoi(t, f[5])
		switch {
		case v == sink && u != source:
			capacity[u] = c
		case u != source:
			k := pair{u, v}
			if old, ok := bestCost[k]; !ok || cost < old {
				bestCost[k] = cost
			}
		}
	}
	lines := strings.Split(strings.TrimSuffix(solution, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "s ") {
		t.Fatalf("solution does not start with an s line:\n%s", solution)
	}
	printed := atoi(t, strings.TrimPrefix(lines[0], "s "))
	var sum int64
	seekers := map[int64]bool{}
	load := map[int64]int64{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 4 || f[0] != "f" || f[3] != "1" {
			t.Fatalf("bad flow line %q", l)
		}
		u, v := atoi(t, f[1]), atoi(t, f[2])
		cost, ok := bestCost[pair{u, v}]
		if !ok {
			t.Fatalf("flow on %d->%d, which is not a candidate arc", u, v)
		}
		if seekers[u] {
			t.Fatalf("seeker node %d has two flow lines", u)
		}
		seekers[u] = true
		load[v]++
		if load[v] > capacity[v] {
			t.Fatalf("opening node %d gets %d seekers, capacity %d", v, load[v], capacity[v])
		}
		sum += cost
	}
	if sum != printed {
		t.Fatalf("flow lines cost %d, the s line says %d", sum, printed)
	}
	return printed
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// FuzzReadDIMACS feeds arbitrary bytes to the reader: it must never panic,
// and whatever it accepts must be a valid problem that solves, writes back
// and reads again to the same problem.
func FuzzReadDIMACS(f *testing.F) {
	for _, opt := range []GenerateOptions{
		{Seekers: 3, Openings: 2, ArcsPerSeeker: 2, CapacityMin: 0, CapacityMax: 2},
		{Openings: 1, CapacityMax: 1},
		{Seekers: 2, Openings: 3, ArcsPerSeeker: 3, CapacityMin: 1, CapacityMax: 1, ScoreLevels: 2},
	} {
		var b bytes.Buffer
		if err := WriteDIMACS(&b, GenerateProblem(1, opt)); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("p min 6 8\nn 5 2\nn 3 -2\na 4 3 0 1 0\na 6 1 0 1 -100\na 5 6 0 1 0\na 2 4 0 1 -900\na 6 4 0 1 -800\na 5 3 0 2 0\na 1 3 0 2 0\na 5 2 0 1 0\n"))
	f.Add([]byte("p min 2 1\na 1 2 0 0 0"))
	f.Add([]byte("c x\r\np min 4 4\nn 1 1\nn 2 -1\na 1 2 0 1 0\na 1 3 0 1 0\na 3 4 0 1 -2147483646\na 4 2 0 2147483646 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseDIMACS(bytes.NewReader(data))
		if err != nil {
			var de *DIMACSError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DIMACSError", err)
			}
			return
		}
		p := file.Problem
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid problem: %v", err)
		}
		if len(file.SeekerNodes) != p.Seekers || len(file.OpeningNodes) != len(p.Capacities) {
			t.Fatalf("%d seeker nodes for %d seekers, %d opening nodes for %d openings",
				len(file.SeekerNodes), p.Seekers, len(file.OpeningNodes), len(p.Capacities))
		}
		sol, err := Solve(p)
		if err != nil {
			t.Fatalf("Solve: %v", err)
		}
		checkFeasible(t, p, sol)
		if err := file.WriteSolution(&bytes.Buffer{}, sol); err != nil {
			t.Fatalf("WriteSolution: %v", err)
		}
		var again bytes.Buffer
		if err := WriteDIMACS(&again, p); err != nil {
			t.Fatalf("WriteDIMACS: %v", err)
		}
		back, err := ReadDIMACS(&again)
		if err != nil {
			t.Fatalf("cannot read what WriteDIMACS wrote: %v", err)
		}
		if diff := cmp.Diff(p, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

// FuzzSolve decodes arbitrary bytes into a small batch (up to 8 seekers and
// 8 openings) and compares the optimum with brute force, by Solve (which
// enters seekers one by one at this size) and by cost scaling alone.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{3, 3, 1, 1, 1, 0, 0, 9, 1, 1, 9, 2, 2, 9})
	f.Add([]byte{8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 255, 0, 1, 255, 1, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := decodeSmallProblem(data)
		sol, err := Solve(p)
		if err != nil {
			t.Fatalf("Solve: %v", err)
		}
		checkFeasible(t, p, sol)
		want := bruteForce(p)
		if sol.Objective != want {
			t.Fatalf("%+v: objective %d, brute force %d", *p, sol.Objective, want)
		}
		scaled := solveScaled(p)
		checkFeasible(t, p, scaled)
		if scaled.Objective != want {
			t.Fatalf("%+v: cost scaling's objective %d, brute force %d", *p, scaled.Objective, want)
		}
	})
}

// decodeSmallProblem reads seekers, openings, one capacity per opening, then
// arcs as (seeker, opening, score) triples, all taken modulo their range.
func decodeSmallProblem(data []byte) *Problem {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	nS, nO := next()%9, next()%9
	p := &Problem{Seekers: nS, Capacities: make([]int32, nO)}
	for o := range p.Capacities {
		p.Capacities[o] = int32(next() % 4)
	}
	for len(data) >= 3 && nS > 0 && nO > 0 && len(p.Arcs) < 40 {
		s, o, sc := next()%nS, next()%nO, next()
		p.Arcs = append(p.Arcs, Arc{int32(s), int32(o), int32(sc) * 4})
	}
	return p
}

func ExampleSolve() {
	p := &Problem{
		Seekers:    2,
		Capacities: []int32{1, 1},
		Arcs:       []Arc{{Seeker: 0, Opening: 0, Score: 900}, {Seeker: 0, Opening: 1, Score: 800}, {Seeker: 1, Opening: 0, Score: 850}},
	}
	sol, err := Solve(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sol.Objective, sol.Assigned)
	// Output: 1650 [1 0]
}
