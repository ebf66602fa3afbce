package matching_test

import (
	"math"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

func TestBuildProblemSmallBatch(t *testing.T) {
	e := newEngine(t)
	welder := baseSeeker()
	cook := baseSeeker()
	cook.ID, cook.Project, cook.PastJobs = "s2", []string{"G1607"}, nil
	job := baseOpening()
	kitchen := baseOpening()
	kitchen.ID, kitchen.ROME, kitchen.Skills, kitchen.Capacity = "o2", []string{"G1603"}, nil, 3
	full := baseOpening()
	full.ID, full.Capacity = "o3", 0

	p, evs, err := e.BuildProblem([]matching.Seeker{welder, cook}, []matching.Opening{job, kitchen, full}, 0, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := &matching.Problem{
		Seekers:    2,
		Capacities: []int32{2, 3, 0},
		Arcs: []matching.Arc{
			// The outcome is not known (1, no preference), weighed 0.15 of 1.15.
			{Seeker: 0, Opening: 0, Score: 877}, // welder: same code, 2 of 3 skills ((0.858333 + 0.15) / 1.15)
			{Seeker: 1, Opening: 1, Score: 859}, // cook: mobility G1607 -> G1603, no skill asked ((0.8375 + 0.15) / 1.15)
		},
	}
	if diff := gocmp.Diff(want, p); diff != "" {
		t.Errorf("problem (-want +got):\n%s", diff)
	}
	var got [][2]string
	for _, ev := range evs {
		got = append(got, [2]string{ev.SeekerID, ev.OpeningID})
	}
	if diff := gocmp.Diff([][2]string{{"s1", "o1"}, {"s2", "o2"}}, got); diff != "" {
		t.Errorf("evaluations (-want +got):\n%s", diff)
	}

	p, _, err = e.BuildProblem([]matching.Seeker{welder, cook}, []matching.Opening{job, kitchen, full}, 0.87, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff([]matching.Arc{{Seeker: 0, Opening: 0, Score: 877}}, p.Arcs); diff != "" {
		t.Errorf("arcs with minimum score 0.87 (-want +got):\n%s", diff)
	}
}

func TestBuildProblemRejectsBadBatches(t *testing.T) {
	e := newEngine(t)
	s := baseSeeker()
	o := baseOpening()
	mentor := baseOpening()
	mentor.ID, mentor.Kind = "m1", matching.KindMentor
	tests := []struct {
		name     string
		seekers  []matching.Seeker
		openings []matching.Opening
		minScore float64
		want     string
	}{
		{"mixed kinds", []matching.Seeker{s}, []matching.Opening{o, mentor}, 0, `openings mix kinds "job" and "mentor"`},
		{"seeker twice", []matching.Seeker{s, s}, []matching.Opening{o}, 0, `seeker ID "s1" appears twice`},
		{"opening twice", []matching.Seeker{s}, []matching.Opening{o, o}, 0, `opening ID "o1" appears twice`},
		{"minimum above 1", []matching.Seeker{s}, []matching.Opening{o}, 1.5, "outside [0, 1]"},
		{"minimum NaN", []matching.Seeker{s}, []matching.Opening{o}, math.NaN(), "outside [0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.BuildProblem(tt.seekers, tt.openings, tt.minScore, testNow)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// On a realistic pool: each seeker's arcs are its best eligible openings in
// order, the evaluations match the arcs, the result does not depend on the
// number of workers, and the solver's assignment uses only candidate pairs.
func TestBuildProblemOnAPool(t *testing.T) {
	e := newEngine(t)
	seekers, openings := makePool(7, poolShape{seekers: 300, openings: 300, odd: true}, testNow)
	p, evs, err := e.BuildProblemWith(seekers, openings, 0.3, testNow, matching.BatchOptions{Candidates: 5, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(p.Arcs) || len(p.Arcs) == 0 {
		t.Fatalf("%d evaluations for %d arcs", len(evs), len(p.Arcs))
	}
	bySeeker := map[int32][]ranked{}
	for i, a := range p.Arcs {
		ev := evs[i]
		if ev.SeekerID != seekers[a.Seeker].ID || ev.OpeningID != openings[a.Opening].ID {
			t.Fatalf("arc %d is %s-%s, evaluation is %s-%s", i, seekers[a.Seeker].ID, openings[a.Opening].ID, ev.SeekerID, ev.OpeningID)
		}
		if !ev.Eligible || int32(math.Round(ev.Score*1000)) != a.Score || ev.Score < 0.3 {
			t.Fatalf("arc %d: score %d, evaluation %+v", i, a.Score, ev)
		}
		bySeeker[a.Seeker] = append(bySeeker[a.Seeker], ranked{ev.OpeningID, ev.Score})
	}
	for si := range seekers {
		var want []ranked
		for _, r := range bruteOpenings(e, &seekers[si], openings, 5) {
			if r.Score >= 0.3 {
				want = append(want, r)
			}
		}
		if diff := gocmp.Diff(want, bySeeker[int32(si)]); diff != "" {
			t.Fatalf("arcs of %s (-brute force +batch):\n%s", seekers[si].ID, diff)
		}
	}

	p1, _, err := e.BuildProblemWith(seekers, openings, 0.3, testNow, matching.BatchOptions{Candidates: 5, Workers: 1, SkipEvaluations: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(p, p1); diff != "" {
		t.Errorf("one worker vs three (-3 +1):\n%s", diff)
	}

	sol, err := matching.Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for si, oi := range sol.Assigned {
		if oi < 0 {
			continue
		}
		if _, ok := e.Score(&seekers[si], &openings[oi], testNow); !ok {
			t.Errorf("assigned %s to %s, not a candidate pair", seekers[si].ID, openings[oi].ID)
		}
	}
}

// Candidates < 0 keeps every eligible opening of every seeker, best first.
func TestBuildProblemWithAllCandidates(t *testing.T) {
	e := newEngine(t)
	seekers, openings := makePool(5, poolShape{seekers: 60, openings: 200, odd: true}, testNow)
	p, _, err := e.BuildProblemWith(seekers, openings, 0, testNow, matching.BatchOptions{Candidates: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int32][]ranked{}
	for _, a := range p.Arcs {
		score, _ := e.Score(&seekers[a.Seeker], &openings[a.Opening], testNow)
		got[a.Seeker] = append(got[a.Seeker], ranked{openings[a.Opening].ID, score})
	}
	for si := range seekers {
		want := bruteOpenings(e, &seekers[si], openings, len(openings))
		if diff := gocmp.Diff(want, got[int32(si)]); diff != "" {
			t.Fatalf("arcs of %s (-every eligible opening +batch):\n%s", seekers[si].ID, diff)
		}
	}
}
