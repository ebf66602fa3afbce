package matching

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSolve(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want Solution
	}{
		{
			name: "empty batch: nothing to assign",
			p:    Problem{},
			want: Solution{Assigned: []int32{}},
		},
		{
			name: "one seeker, two openings: the better score wins",
			p: Problem{Seekers: 1, Capacities: []int32{1, 1},
				Arcs: []Arc{{0, 0, 400}, {0, 1, 900}}},
			want: Solution{Objective: 900, Assigned: []int32{1}},
		},
		{
			name: "opening with capacity 0 is never used",
			p: Problem{Seekers: 1, Capacities: []int32{0, 1},
				Arcs: []Arc{{0, 0, 1000}, {0, 1, 10}}},
			want: Solution{Objective: 10, Assigned: []int32{1}},
		},
		{
			name: "score 0 arc is never assigned",
			p: Problem{Seekers: 2, Capacities: []int32{5},
				Arcs: []Arc{{0, 0, 0}, {1, 0, 1}}},
			want: Solution{Objective: 1, Assigned: []int32{-1, 0}},
		},
		{
			name: "seeker without candidates stays unassigned",
			p: Problem{Seekers: 2, Capacities: []int32{1},
				Arcs: []Arc{{1, 0, 700}}},
			want: Solution{Objective: 700, Assigned: []int32{-1, 0}},
		},
		{
			name: "one place, two seekers: the later, better one displaces the first",
			p: Problem{Seekers: 2, Capacities: []int32{1},
				Arcs: []Arc{{0, 0, 500}, {1, 0, 800}}},
			want: Solution{Objective: 800, Assigned: []int32{-1, 0}},
		},
		{
			name: "greedy is not optimal: the first seeker moves to its second choice",
			p: Problem{Seekers: 2, Capacities: []int32{1, 1},
				Arcs: []Arc{{0, 0, 900}, {0, 1, 800}, {1, 0, 850}}},
			want: Solution{Objective: 1650, Assigned: []int32{1, 0}},
		},
		{
			name: "capacity 2 takes both seekers",
			p: Problem{Seekers: 2, Capacities: []int32{2, 1},
				Arcs: []Arc{{0, 0, 900}, {1, 0, 850}, {1, 1, 100}}},
			want: Solution{Objective: 1750, Assigned: []int32{0, 0}},
		},
		{
			name: "chain of displacements over three openings",
			p: Problem{Seekers: 3, Capacities: []int32{1, 1, 1},
				Arcs: []Arc{
					{0, 0, 10}, {0, 1, 9},
					{1, 1, 10}, {1, 2, 9},
					{2, 0, 20},
				}},
			want: Solution{Objective: 38, Assigned: []int32{1, 2, 0}},
		},
		{
			name: "duplicate pair: only the better arc counts",
			p: Problem{Seekers: 1, Capacities: []int32{1},
				Arcs: []Arc{{0, 0, 300}, {0, 0, 600}}},
			want: Solution{Objective: 600, Assigned: []int32{0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Solve(&tt.p)
			if err != nil {
				t.Fatalf("Solve: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Solve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSolveRejectsInvalidProblems(t *testing.T) {
	tests := []struct {
		name string
		p    *Problem
		want string
	}{
		{"missing problem", nil, "missing"},
		{"negative seeker count", &Problem{Seekers: -1}, "negative"},
		{"negative capacity", &Problem{Seekers: 1, Capacities: []int32{1, -2}}, "opening 1 has a negative capacity"},
		{"arc to an unknown seeker", &Problem{Seekers: 1, Capacities: []int32{1}, Arcs: []Arc{{1, 0, 5}}}, "seeker 1"},
		{"arc to a negative seeker", &Problem{Seekers: 1, Capacities: []int32{1}, Arcs: []Arc{{-1, 0, 5}}}, "seeker -1"},
		{"arc to an unknown opening", &Problem{Seekers: 1, Capacities: []int32{1}, Arcs: []Arc{{0, 3, 5}}}, "opening 3"},
		{"negative score", &Problem{Seekers: 1, Capacities: []int32{1}, Arcs: []Arc{{0, 0, -5}}}, "negative score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Solve(tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Solve error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestSolveMatchesBruteForce compares the optimum with an exhaustive search on
// thousands of small random problems: up to 8 seekers and 8 openings,
// capacities from 0, and scores drawn from a few values so that ties abound.
func TestSolveMatchesBruteForce(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		p := randomSmallProblem(rng)
		got, err := Solve(p)
		if err != nil {
			t.Fatalf("instance %d: Solve: %v", i, err)
		}
		checkFeasible(t, p, got)
		want := bruteForce(p)
		if got.Objective != want {
			t.Fatalf("instance %d %+v: objective %d, brute force %d", i, *p, got.Objective, want)
		}
		// The same problem routed by phases only, and by phases after a
		// few seekers entered one by one.
		for _, budget := range []int64{-1, int64(rng.Intn(20))} {
			got := solve(p, budget)
			checkFeasible(t, p, got)
			if got.Objective != want {
				t.Fatalf("instance %d %+v, budget %d: objective %d, brute force %d", i, *p, budget, got.Objective, want)
			}
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 200; i++ {
		p := randomSmallProblem(rng)
		first, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		second, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("instance %d: two solves differ (-first +second):\n%s", i, diff)
		}
	}
	p := GenerateProblem(3, GenerateOptions{Seekers: 2000, Openings: 2000, ArcsPerSeeker: 20, CapacityMin: 0, CapacityMax: 3})
	if diff := cmp.Diff(solveScaled(p), solveScaled(p)); diff != "" {
		t.Fatalf("generated instance, cost scaling: two solves differ (-first +second):\n%s", diff)
	}
	for _, budget := range []int64{-1, 5000, 1 << 40} {
		first, second := solve(p, budget), solve(p, budget)
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("generated instance, budget %d: two solves differ (-first +second):\n%s", budget, diff)
		}
	}
}

func randomSmallProblem(rng *rand.Rand) *Problem {
	nS, nO := rng.Intn(9), rng.Intn(9)
	p := &Problem{Seekers: nS, Capacities: make([]int32, nO)}
	for o := range p.Capacities {
		p.Capacities[o] = int32(rng.Intn(4)) // 0..3
	}
	if nS == 0 || nO == 0 {
		return p
	}
	density := rng.Float64()
	// Few distinct scores make many ties; sometimes a wide range.
	scores := []int32{0, 1, 2, 3, 500, 500, 1000}
	wide := rng.Intn(3) == 0
	for s := 0; s < nS; s++ {
		for o := 0; o < nO; o++ {
			if rng.Float64() >= density {
				continue
			}
			sc := scores[rng.Intn(len(scores))]
			if wide {
				sc = int32(rng.Intn(1001))
			}
			p.Arcs = append(p.Arcs, Arc{int32(s), int32(o), sc})
		}
	}
	rng.Shuffle(len(p.Arcs), func(i, j int) { p.Arcs[i], p.Arcs[j] = p.Arcs[j], p.Arcs[i] })
	return p
}

// bruteForce tries every assignment of every seeker to one of its arcs or to
// nothing.
func bruteForce(p *Problem) int64 {
	bySeeker := make([][]Arc, p.Seekers)
	for _, a := range p.Arcs {
		bySeeker[a.Seeker] = append(bySeeker[a.Seeker], a)
	}
	room := append([]int32(nil), p.Capacities...)
	var best func(s int) int64
	best = func(s int) int64 {
		if s == p.Seekers {
			return 0
		}
		b := best(s + 1)
		for _, a := range bySeeker[s] {
			if room[a.Opening] == 0 {
				continue
			}
			room[a.Opening]--
			if v := int64(a.Score) + best(s+1); v > b {
				b = v
			}
			room[a.Opening]++
		}
		return b
	}
	return best(0)
}

// checkFeasible fails the test unless sol respects the problem: assigned
// pairs are arcs, capacities hold, and the objective is the sum of the
// assigned scores.
func checkFeasible(t *testing.T, p *Problem, sol Solution) {
	t.Helper()
	if len(sol.Assigned) != p.Seekers {
		t.Fatalf("%d assignments for %d seekers", len(sol.Assigned), p.Seekers)
	}
	best := map[[2]int32]int32{}
	for _, a := range p.Arcs {
		k := [2]int32{a.Seeker, a.Opening}
		if v, ok := best[k]; !ok || a.Score > v {
			best[k] = a.Score
		}
	}
	used := make([]int32, len(p.Capacities))
	var total int64
	for s, o := range sol.Assigned {
		if o < 0 {
			continue
		}
		sc, ok := best[[2]int32{int32(s), o}]
		if !ok {
			t.Fatalf("seeker %d assigned to opening %d without an arc", s, o)
		}
		used[o]++
		total += int64(sc)
	}
	for o, u := range used {
		if u > p.Capacities[o] {
			t.Fatalf("opening %d: %d seekers for capacity %d", o, u, p.Capacities[o])
		}
	}
	if total != sol.Objective {
		t.Fatalf("objective %d, assigned scores add up to %d", sol.Objective, total)
	}
}

// TestSolveScaledMatchesBruteForce checks cost scaling alone against the
// exhaustive search (Solve reaches it only once entering has run out of
// budget, on batches with many distinct scores).
func TestSolveScaledMatchesBruteForce(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < n; i++ {
		p := randomSmallProblem(rng)
		got := solveScaled(p)
		checkFeasible(t, p, got)
		if want := bruteForce(p); got.Objective != want {
			t.Fatalf("instance %d %+v: objective %d, brute force %d", i, *p, got.Objective, want)
		}
	}
}

// TestStrategiesAgreeOnGeneratedBatches solves generated batches of every
// benchmark shape, large enough for cost scaling's price updates and the
// sink's returns to happen many times, by each strategy alone and by Solve:
// all find the same optimum.
func TestStrategiesAgreeOnGeneratedBatches(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	shapes := append(benchShapes[:len(benchShapes):len(benchShapes)],
		struct {
			name string
			opt  GenerateOptions
		}{"dense small", denseShape(n / 3)})
	for i, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			opt := sh.opt
			if opt.Seekers == 0 {
				opt.Seekers, opt.Openings = n/2, n/2
			}
			p := GenerateProblem(int64(40+i), opt)
			want, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			checkFeasible(t, p, want)
			for name, got := range map[string]Solution{
				"entering":     solve(p, 1<<62),
				"phases":       solve(p, -1),
				"cost scaling": solveScaled(p),
			} {
				checkFeasible(t, p, got)
				if got.Objective != want.Objective {
					t.Errorf("%s: objective %d, Solve %d", name, got.Objective, want.Objective)
				}
			}
		})
	}
}

func TestCostScalingFitsInt64(t *testing.T) {
	for _, tt := range []struct {
		nodes, maxScore int64
		want            bool
	}{
		{200_001, 1000, true},
		{2_000_001, 1<<31 - 1, false},
		{1 << 31, 1000, false},
		{20, 1<<31 - 1, true},
	} {
		if got := costScalingFits(tt.nodes, tt.maxScore); got != tt.want {
			t.Errorf("costScalingFits(%d, %d) = %v, want %v", tt.nodes, tt.maxScore, got, tt.want)
		}
	}
}
