// Package suggest ranks, for one beneficiary, the opportunities or mentors
// the matching engine finds eligible, best first, each with its explanation.
// It loads the candidates from the stores, converts them with matchinput and
// lets the engine's candidate index prune before scoring.
package suggest

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
)

// MaxCandidates bounds how many openings one query loads.
const MaxCandidates = 50000

// DeclineSource tells which pairs a beneficiary's side declined, and when.
type DeclineSource interface {
	// DeclinesOf maps opening ids (opportunities or mentors) to the time
	// the pair with the beneficiary was declined, for declines after since.
	DeclinesOf(ctx context.Context, beneficiaryID string, since time.Time) (map[string]time.Time, error)
}

// Service computes suggestions.
type Service struct {
	Engine        *matching.Engine
	Beneficiaries pathways.Store
	Opportunities jobs.Store
	Mentors       mentoring.MentorStore
	// Declines may be nil (no decline recorded anywhere).
	Declines DeclineSource
	// Proposals, when set, lists the organisation's proposals, so places
	// other beneficiaries' open or accepted proposals hold are not offered.
	Proposals pathways.ProposalLister
	// PMSMP gives the beneficiary's PMSMP conventions, so placements that
	// would break the PMSMP rules are not suggested; nil: none known.
	PMSMP jobs.PMSMPStore
	// Cooldown is how far back declines count (the engine's cooldown).
	Cooldown time.Duration
	Now      func() time.Time
}

// Opening is what a suggestion shows of the opportunity or mentor proposed:
// enough to decide, nothing personal about a mentor beyond their work.
type Opening struct {
	ID           string         `json:"id"`
	Kind         string         `json:"kind"`
	Title        string         `json:"title"`
	Organisation string         `json:"organisationId,omitempty"`
	Employer     string         `json:"employer,omitempty"`
	ROME         []string       `json:"rome"`
	Department   string         `json:"department"`
	Postcode     string         `json:"postcode,omitempty"`
	StartDate    string         `json:"startDate,omitempty"`
	EndDate      string         `json:"endDate,omitempty"`
	Capacity     int            `json:"capacityLeft"`
	Contract     *jobs.Contract `json:"contract,omitempty"`
}

// Item is one suggestion.
type Item struct {
	Rank        int                 `json:"rank"`
	Score       float64             `json:"score"`
	Opening     Opening             `json:"opening"`
	Explanation matching.Evaluation `json:"explanation"`
}

// Result is a ranked list for one beneficiary and kind.
type Result struct {
	BeneficiaryID   string    `json:"beneficiaryId"`
	Kind            string    `json:"kind"`
	ComputedAt      time.Time `json:"computedAt"`
	WeightsVersion  string    `json:"weightsVersion"`
	TaxonomyVersion string    `json:"taxonomyVersion"`
	// Candidates is how many openings of the kind were loaded; PairsScored
	// how many the index let through to scoring.
	Candidates  int    `json:"candidates"`
	PairsScored int64  `json:"pairsScored"`
	Items       []Item `json:"items"`
}

// candidates are the openings of one query, in engine form and as shown.
type candidates struct {
	openings []matching.Opening
	shown    []Opening
}

// For returns the best limit openings of kind for the beneficiary id of org.
// It returns apperr.NotFound for a beneficiary org does not have.
func (s *Service) For(ctx context.Context, org, id string, kind matching.Kind, limit int) (Result, error) {
	b, err := s.Beneficiaries.Beneficiary(ctx, org, id)
	if err != nil {
		return Result{}, err
	}
	if b.Erased != nil {
		return Result{}, apperr.NotFoundf("beneficiary erased")
	}
	seeker, err := s.seeker(ctx, b)
	if err != nil {
		return Result{}, err
	}
	taken := map[string]int{}
	if s.Proposals != nil {
		h, err := pathways.HeldBy(ctx, s.Proposals, org, pathways.OpeningKind(kind), func(p pathways.Proposal) bool { return p.BeneficiaryID != id })
		if err != nil {
			return Result{}, err
		}
		taken = h.Places
	}
	cs, err := s.load(ctx, org, kind, taken)
	if err != nil {
		return Result{}, err
	}
	now := s.Now().UTC()
	ix := s.Engine.NewIndex(cs.openings)
	top := ix.TopOpenings(&seeker, limit, now)
	w := s.Engine.Weights()
	res := Result{
		BeneficiaryID: id, Kind: string(kind), ComputedAt: now,
		WeightsVersion: w.Version, TaxonomyVersion: s.Engine.Taxonomy().Version(),
		Candidates: len(cs.openings), PairsScored: ix.PairsScored(), Items: make([]Item, len(top)),
	}
	for i, sg := range top {
		res.Items[i] = Item{Rank: i + 1, Score: sg.Score, Opening: cs.shown[sg.Index], Explanation: sg.Evaluation}
	}
	return res, nil
}

// Evaluate explains one pair, eligible or not: the score and its components,
// or the constraints that fail with the next step for each.
func (s *Service) Evaluate(ctx context.Context, org, id string, kind matching.Kind, openingID string) (matching.Evaluation, Opening, error) {
	b, err := s.Beneficiaries.Beneficiary(ctx, org, id)
	if err != nil {
		return matching.Evaluation{}, Opening{}, err
	}
	if b.Erased != nil {
		return matching.Evaluation{}, Opening{}, apperr.NotFoundf("beneficiary erased")
	}
	seeker, err := s.seeker(ctx, b)
	if err != nil {
		return matching.Evaluation{}, Opening{}, err
	}
	var op matching.Opening
	var shown Opening
	if kind == matching.KindMentor {
		m, err := s.Mentors.Mentor(ctx, org, openingID)
		if err != nil {
			return matching.Evaluation{}, Opening{}, err
		}
		op, shown = matchinput.MentorOpening(m), showMentor(m)
	} else {
		o, err := s.Opportunities.Opportunity(ctx, openingID)
		if err != nil {
			return matching.Evaluation{}, Opening{}, err
		}
		if (o.Status == jobs.StatusDraft && o.OrganisationID != org) || string(o.Kind) != string(kind) {
			return matching.Evaluation{}, Opening{}, apperr.NotFoundf("opportunity %s of kind %s", openingID, kind)
		}
		op, shown = matchinput.Opening(o, 0), showOpportunity(o)
	}
	ev := s.Engine.Evaluate(&seeker, &op, s.Now().UTC())
	return ev, shown, nil
}

func (s *Service) seeker(ctx context.Context, b pathways.Beneficiary) (matching.Seeker, error) {
	var x matchinput.SeekerExtras
	if s.Declines != nil {
		since := s.Now().Add(-s.Cooldown)
		d, err := s.Declines.DeclinesOf(ctx, b.ID, since)
		if err != nil {
			return matching.Seeker{}, err
		}
		x.Declines = d
	}
	if s.PMSMP != nil {
		h, err := s.PMSMP.PMSMPConventions(ctx, b.OrganisationID, b.ID)
		if err != nil {
			return matching.Seeker{}, err
		}
		x.PMSMPHistory = h
	}
	return matchinput.Seeker(b, x), nil
}

// load reads the open openings of kind: published opportunities of every
// organisation, or the mentors of the beneficiary's own organisation.
func (s *Service) load(ctx context.Context, org string, kind matching.Kind, taken map[string]int) (candidates, error) {
	var cs candidates
	after := ""
	for {
		if kind == matching.KindMentor {
			list, next, err := s.Mentors.Mentors(ctx, mentoring.MentorFilter{OrganisationID: org, Status: mentoring.MentorActive, After: after, Limit: 500})
			if err != nil {
				return cs, err
			}
			for _, m := range list {
				op, shown := matchinput.MentorOpening(m), showMentor(m)
				op.Capacity = max(op.Capacity-taken[m.ID], 0)
				shown.Capacity = op.Capacity
				cs.openings = append(cs.openings, op)
				cs.shown = append(cs.shown, shown)
			}
			after = next
		} else {
			list, next, err := s.Opportunities.Opportunities(ctx, jobs.Filter{Kind: jobs.Kind(kind), Status: jobs.StatusOpen, After: after, Limit: 500})
			if err != nil {
				return cs, err
			}
			for _, o := range list {
				op, shown := matchinput.Opening(o, taken[o.ID]), showOpportunity(o)
				shown.Capacity = op.Capacity
				cs.openings = append(cs.openings, op)
				cs.shown = append(cs.shown, shown)
			}
			after = next
		}
		if after == "" {
			return cs, nil
		}
		if len(cs.openings) >= MaxCandidates {
			return cs, fmt.Errorf("load candidates: more than %d open openings of kind %s", MaxCandidates, kind)
		}
	}
}

func showOpportunity(o jobs.Opportunity) Opening {
	op := Opening{ID: o.ID, Kind: string(o.Kind), Title: o.Title, Organisation: o.OrganisationID, Employer: o.Employer,
		ROME: []string{o.ROME}, Department: o.Place.Department, Postcode: o.Place.Postcode,
		StartDate: string(o.Start), EndDate: string(o.End), Capacity: o.Positions, Contract: o.Contract}
	if o.Status != jobs.StatusOpen {
		op.Capacity = 0
	}
	return op
}

func showMentor(m mentoring.Mentor) Opening {
	rome := m.ROME
	if rome == nil {
		rome = []string{}
	}
	return Opening{ID: m.ID, Kind: string(matching.KindMentor), Title: m.FirstName + " — " + m.Company,
		Organisation: m.OrganisationID, Employer: m.Company, ROME: rome, Department: m.Place.Department,
		Postcode: m.Place.Postcode, Capacity: m.FreeCapacity()}
}

// SnapshotStore keeps the latest suggestions of each beneficiary and kind.
type SnapshotStore interface {
	// SaveSuggestions replaces the snapshot of r's beneficiary and kind.
	SaveSuggestions(ctx context.Context, org string, r Result) error
}

// RefreshKinds are the kinds a refresh recomputes.
var RefreshKinds = []matching.Kind{matching.KindJob, matching.KindPMSMP, matching.KindTraining, matching.KindMentor}

// Refresh recomputes the beneficiary's suggestions of every kind and saves
// them in store, so they are ready after a change of profile or opening. A
// beneficiary gone or erased is not an error: there is nothing to refresh.
func (s *Service) Refresh(ctx context.Context, store SnapshotStore, org, id string, limit int) error {
	for _, k := range RefreshKinds {
		r, err := s.For(ctx, org, id, k, limit)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("refresh %s suggestions of %s: %w", k, id, err)
		}
		if err := store.SaveSuggestions(ctx, org, r); err != nil {
			return err
		}
	}
	return nil
}
