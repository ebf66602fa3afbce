package matching

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSkillsAtMostBoundsTheSkillsComponent checks the bound the indexes
// prune with against the exact share of skills held, on random sets whose
// numbers collide in the 64-bit signatures (numbers up to 300): never
// below it, and equal to it when the opening's numbers do not collide with
// each other nor with the seeker's unrelated ones.
func TestSkillsAtMostBoundsTheSkillsComponent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	set := func(n, max int) []uint32 {
		var s []uint32
		for range n {
			s = append(s, uint32(r.IntN(max)))
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	exactOnes := 0
	for range 100_000 {
		max := 8 + r.IntN(300)
		o, s := set(r.IntN(9), max), set(r.IntN(12), max)
		// Opening skills unknown to the index's dictionary: asked counts
		// them, the numbers do not (the seeker index's case).
		asked := len(o) + r.IntN(2)
		want := 1.0
		if asked > 0 {
			want = float64(intersectIDs(o, s)) / float64(asked)
		}
		got := skillsAtMost(skillSig(o), skillSig(s), len(o), asked)
		if got < want {
			t.Fatalf("opening %v (asked %d), seeker %v: bound %v below the share held %v", o, asked, s, got, want)
		}
		if max <= 64 && got != want {
			t.Fatalf("opening %v (asked %d), seeker %v: bound %v, share held %v, without collisions", o, asked, s, got, want)
		}
		if got == want {
			exactOnes++
		}
	}
	t.Logf("bound exact on %d of 100,000 pairs", exactOnes)
}
