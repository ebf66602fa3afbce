package proposals

import (
	"context"
)

// Lister lists proposals; Store is one.
type Lister interface {
	Proposals(ctx context.Context, f Filter) ([]Proposal, string, error)
}

// Held says which seekers and places an organisation's proposals of one
// kind hold: a proposal still open, or accepted, keeps its beneficiary out of
// other proposals of the kind and one place of its opening. A mentor's
// accepted proposals are already in the mentor's active count, so for
// mentors only open ones take a place.
type Held struct {
	Seekers map[string]bool
	Places  map[string]int
}

// heldStates are the states in which a proposal holds its seeker.
var heldStates = []State{Proposed, Approved, Sent, Accepted}

// HeldBy reads org's proposals of kind that hold seekers and places, leaving
// out those keep returns false for (nil keeps all).
func HeldBy(ctx context.Context, st Lister, org string, kind Kind, keep func(Proposal) bool) (Held, error) {
	h := Held{Seekers: map[string]bool{}, Places: map[string]int{}}
	after := ""
	for {
		list, next, err := st.Proposals(ctx, Filter{OrganisationID: org, Kind: kind, States: heldStates, After: after, Limit: 10000})
		if err != nil {
			return Held{}, err
		}
		for _, p := range list {
			if keep != nil && !keep(p) {
				continue
			}
			h.Seekers[p.BeneficiaryID] = true
			if kind != KindMentor || p.State != Accepted {
				h.Places[p.OpeningID]++
			}
		}
		if next == "" {
			return h, nil
		}
		after = next
	}
}
