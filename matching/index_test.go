package matching_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

type ranked struct {
	ID    string
	Score float64
}

// bruteOpenings scores every opening for s and keeps the k best.
func bruteOpenings(e *matching.Engine, s *matching.Seeker, openings []matching.Opening, k int) []ranked {
	var all []ranked
	for i := range openings {
		if score, ok := e.Score(s, &openings[i], testNow); ok {
			all = append(all, ranked{openings[i].ID, score})
		}
	}
	sortRanked(all)
	return all[:min(k, len(all))]
}

func bruteSeekers(e *matching.Engine, o *matching.Opening, seekers []matching.Seeker, k int) []ranked {
	var all []ranked
	for i := range seekers {
		if score, ok := e.Score(&seekers[i], o, testNow); ok {
			all = append(all, ranked{seekers[i].ID, score})
		}
	}
	sortRanked(all)
	return all[:min(k, len(all))]
}

func sortRanked(rs []ranked) {
	slices.SortFunc(rs, func(a, b ranked) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func rankedOf(ss []matching.Suggestion, seekerSide bool) []ranked {
	var out []ranked
	for _, s := range ss {
		id := s.OpeningID
		if seekerSide {
			id = s.SeekerID
		}
		out = append(out, ranked{id, s.Score})
	}
	return out
}

// The index prunes only pairs that cannot pass the hard constraints: its top
// k equals scoring every pair, for every kind and the odd cases.
func TestIndexesFindWhatScoringEveryPairFinds(t *testing.T) {
	e := newEngine(t)
	for _, kind := range []matching.Kind{matching.KindJob, matching.KindPMSMP, matching.KindTraining, matching.KindMentor} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed %d", kind, seed), func(t *testing.T) {
				seekers, openings := makePool(seed, poolShape{seekers: 150, openings: 400, kind: kind, odd: true}, testNow)
				oix := e.NewIndex(openings)
				for i := range seekers {
					s := &seekers[i]
					got := rankedOf(oix.TopOpenings(s, 10, testNow), false)
					if diff := gocmp.Diff(bruteOpenings(e, s, openings, 10), got); diff != "" {
						t.Fatalf("TopOpenings(%s) (-brute force +index):\n%s", s.ID, diff)
					}
				}
				six := e.NewSeekerIndex(seekers)
				for i := range openings {
					o := &openings[i]
					got := rankedOf(six.TopSeekers(o, 10, testNow), true)
					if diff := gocmp.Diff(bruteSeekers(e, o, seekers, 10), got); diff != "" {
						t.Fatalf("TopSeekers(%s) (-brute force +index):\n%s", o.ID, diff)
					}
				}
				if total := int64(len(seekers) * len(openings)); oix.PairsScored() >= total || six.PairsScored() >= total {
					t.Errorf("indexes scored %d and %d pairs of %d: no pruning", oix.PairsScored(), six.PairsScored(), total)
				}
			})
		}
	}
}

func TestTopOpeningsOrderAndEvaluations(t *testing.T) {
	e := newEngine(t)
	s := baseSeeker()
	mk := func(id string, edit func(*matching.Opening)) matching.Opening {
		o := baseOpening()
		o.ID = id
		if edit != nil {
			edit(&o)
		}
		return o
	}
	openings := []matching.Opening{
		mk("o-far-family", func(o *matching.Opening) { o.ROME = []string{"H2102"} }),
		mk("o-b", nil),
		mk("o-a", nil), // same score as o-b: the ID decides
		mk("o-full", func(o *matching.Opening) { o.Capacity = 0 }),
		mk("o-b1", func(o *matching.Opening) { o.French[matching.OralProduction] = matching.B1 }),
		mk("o-kitchen", func(o *matching.Opening) { o.ROME = []string{"G1602"} }),
		mk("o-domain", func(o *matching.Opening) { o.ROME = []string{"H2914"} }),
	}
	got := e.NewIndex(openings).TopOpenings(&s, 3, testNow)
	var ids []string
	var idx []int
	for _, g := range got {
		ids = append(ids, g.OpeningID)
		idx = append(idx, g.Index)
		if !g.Eligible || len(g.Components) == 0 {
			t.Errorf("%s: suggestion not fully evaluated: %+v", g.OpeningID, g.Evaluation)
		}
	}
	if diff := gocmp.Diff([]string{"o-a", "o-b", "o-domain"}, ids); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]int{2, 1, 6}, idx); diff != "" {
		t.Errorf("indexes (-want +got):\n%s", diff)
	}
	if got := e.NewIndex(openings).TopOpenings(&s, 0, testNow); len(got) != 0 {
		t.Errorf("k = 0 gave %d suggestions", len(got))
	}
}
