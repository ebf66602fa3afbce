package candidates

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
	"github.com/parcours-emploi/parcours/proposals"
)

// PageSize is how many records one store read returns while loading. The
// embedded store sorts a whole collection for every page, so loads take as
// few pages as memory allows: 10,000 beneficiaries are about 30 MB.
const PageSize = 10000

// MaxOpenings bounds how many openings one load reads.
const MaxOpenings = 100000

// Loader reads the candidates of matching from the stores.
type Loader struct {
	Beneficiaries pathways.Store
	Opportunities jobs.Store
	Mentors       mentoring.MentorStore
	// Proposals gives the pairs declined lately and the places and seekers
	// open or accepted proposals hold.
	Proposals proposals.Store
	// Conventions gives the PMSMP conventions beneficiaries entered; nil:
	// none known.
	Conventions jobs.ConventionStore
	// Cooldown is how long a declined pair waits, unless the decline named
	// the day the mentor or host is available again.
	Cooldown time.Duration
	// Programmes gives the rule set each file's programme counts exits by
	// (nil: the one its programme's name picks).
	Programmes pathways.ProgrammeStore
}

func (l *Loader) cooldown() time.Duration {
	if l.Cooldown <= 0 {
		return proposals.DefaultCooldown
	}
	return l.Cooldown
}

// Summary is what a list shows of an opening: enough to decide, nothing
// personal about a mentor beyond their work.
type Summary struct {
	ID           string
	Kind         matching.Kind
	Title        string
	Organisation string
	Employer     string
	ROME         []string
	Department   string
	Postcode     string
	City         string
	Start, End   string
	// Capacity is the places left once those proposals hold are taken off.
	Capacity int
	Contract *jobs.Contract
}

// Beneficiary returns org's live beneficiary id; an erased one is
// apperr.NotFound, as one of another organisation.
func (l *Loader) Beneficiary(ctx context.Context, org, id string) (pathways.Beneficiary, error) {
	return pathways.Live(ctx, l.Beneficiaries, org, id)
}

// Seeker converts b as the engine sees it at the instant: with the pairs
// declined whose cooldown is not over, and the PMSMP conventions b entered.
func (l *Loader) Seeker(ctx context.Context, b pathways.Beneficiary, at time.Time) (matching.Seeker, error) {
	var x SeekerExtras
	d, err := l.Proposals.DeclinesOf(ctx, b.ID, at.Add(-l.cooldown()), civil.InFrance(at))
	if err != nil {
		return matching.Seeker{}, err
	}
	x.Declines = proposals.DeclinedUntil(d, at, l.cooldown())
	sets, err := l.ruleSets(ctx, b.OrganisationID)
	if err != nil {
		return matching.Seeker{}, err
	}
	x.RuleSet = ruleSetOf(b, sets)
	accepted, _, err := l.Proposals.Proposals(ctx, proposals.Filter{OrganisationID: b.OrganisationID, BeneficiaryID: b.ID, States: []proposals.State{proposals.Accepted}, Limit: 1000})
	if err != nil {
		return matching.Seeker{}, err
	}
	for _, p := range accepted {
		if p.Kind != proposals.KindMentor {
			if x.Taken == nil {
				x.Taken = map[string]bool{}
			}
			x.Taken[p.OpeningID] = true
		}
	}
	if l.Conventions != nil {
		if x.PMSMPHistory, err = l.Conventions.PMSMPConventions(ctx, b.OrganisationID, b.ID); err != nil {
			return matching.Seeker{}, err
		}
	}
	return Seeker(b, x), nil
}

// Scope selects the seekers of a batch: org's beneficiaries of a programme
// and/or a département.
type Scope struct {
	Programme  string
	Department string
}

// Seekers converts org's live beneficiaries in scope, but those skip
// names, as the engine sees them at the instant. Declines and PMSMP
// conventions are read for the whole organisation at once, not per
// beneficiary.
func (l *Loader) Seekers(ctx context.Context, org string, scope Scope, kind matching.Kind, at time.Time, skip map[string]bool) ([]matching.Seeker, error) {
	declines, err := l.declinesOf(ctx, org, at)
	if err != nil {
		return nil, err
	}
	sets, err := l.ruleSets(ctx, org)
	if err != nil {
		return nil, err
	}
	if scope.Programme, err = l.programmeName(ctx, org, scope.Programme); err != nil {
		return nil, err
	}
	var history map[string][]pmsmp.Convention
	if l.Conventions != nil && kind == matching.KindPMSMP {
		if history, err = l.Conventions.PMSMPConventionsOf(ctx, org); err != nil {
			return nil, err
		}
	}
	var out []matching.Seeker
	after := ""
	for {
		list, next, err := l.Beneficiaries.Beneficiaries(ctx, pathways.Filter{
			OrganisationID: org, Programme: scope.Programme, Department: scope.Department, After: after, Limit: PageSize,
		})
		if err != nil {
			return nil, err
		}
		for _, b := range list {
			if skip[b.ID] {
				continue
			}
			out = append(out, Seeker(b, SeekerExtras{Declines: declines[b.ID], PMSMPHistory: history[b.ID], RuleSet: ruleSetOf(b, sets)}))
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// declinesOf maps each beneficiary of org to the openings of the proposals
// declined whose cooldown is not over at the instant, and when it ends.
func (l *Loader) declinesOf(ctx context.Context, org string, at time.Time) (map[string]map[string]time.Time, error) {
	byBeneficiary := map[string][]proposals.Decline{}
	since, today := at.Add(-l.cooldown()), civil.InFrance(at)
	after := ""
	for {
		list, next, err := l.Proposals.Proposals(ctx, proposals.Filter{
			OrganisationID: org, States: []proposals.State{proposals.Declined}, After: after, Limit: PageSize,
		})
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			if p.UpdatedAt.Before(since) && !p.AvailableFrom.After(today) {
				continue
			}
			byBeneficiary[p.BeneficiaryID] = append(byBeneficiary[p.BeneficiaryID], proposals.DeclineOf(p))
		}
		if next == "" {
			out := make(map[string]map[string]time.Time, len(byBeneficiary))
			for b, ds := range byBeneficiary {
				out[b] = proposals.DeclinedUntil(ds, at, l.cooldown())
			}
			return out, nil
		}
		after = next
	}
}

// Held reads which seekers and places org's proposals of kind hold, but
// those keep returns false for (nil keeps all).
func (l *Loader) Held(ctx context.Context, org string, kind matching.Kind, keep func(proposals.Proposal) bool) (proposals.Held, error) {
	return proposals.HeldBy(ctx, l.Proposals, org, proposals.Kind(kind), keep)
}

// Openings are the openings of one load, in the engine's form and as shown,
// index for index.
type Openings struct {
	Engine []matching.Opening
	Shown  []Summary
}

// Openings loads the open openings of kind that org's staff may propose:
// the published opportunities of every organisation, or org's active
// mentors; in the département when one is given. The places held says are
// taken off each one's capacity.
func (l *Loader) Openings(ctx context.Context, org string, kind matching.Kind, department string, held map[string]int) (Openings, error) {
	var out Openings
	add := func(op matching.Opening, shown Summary) {
		shown.Capacity = op.Capacity
		out.Engine = append(out.Engine, op)
		out.Shown = append(out.Shown, shown)
	}
	after := ""
	for {
		var next string
		if kind == matching.KindMentor {
			list, n, err := l.Mentors.Mentors(ctx, mentoring.MentorFilter{OrganisationID: org, Status: mentoring.MentorActive,
				Department: department, After: after, Limit: PageSize})
			if err != nil {
				return out, err
			}
			for _, m := range list {
				op := MentorOpening(m)
				op.Capacity = max(op.Capacity-held[m.ID], 0)
				add(op, ShowMentor(m))
			}
			next = n
		} else {
			list, n, err := l.Opportunities.Opportunities(ctx, jobs.Filter{Kind: jobs.Kind(kind), Status: jobs.StatusOpen,
				Department: department, After: after, Limit: PageSize})
			if err != nil {
				return out, err
			}
			for _, o := range list {
				add(Opening(o, held[o.ID]), ShowOpportunity(o))
			}
			next = n
		}
		if next == "" {
			return out, nil
		}
		if len(out.Engine) >= MaxOpenings {
			return out, fmt.Errorf("load candidates: more than %d open openings of kind %s", MaxOpenings, kind)
		}
		after = next
	}
}

// Opening loads one opening of kind that org's staff may see: one of org's
// mentors, or an opportunity of the kind that is published or org's own.
// Any other is apperr.NotFound.
func (l *Loader) Opening(ctx context.Context, org string, kind matching.Kind, id string) (matching.Opening, Summary, error) {
	if kind == matching.KindMentor {
		m, err := l.Mentors.Mentor(ctx, org, id)
		if err != nil {
			return matching.Opening{}, Summary{}, err
		}
		return MentorOpening(m), ShowMentor(m), nil
	}
	o, err := l.Opportunities.Opportunity(ctx, id)
	if err != nil {
		return matching.Opening{}, Summary{}, err
	}
	if !o.VisibleToStaffOf(org) || string(o.Kind) != string(kind) {
		return matching.Opening{}, Summary{}, apperr.NotFoundf("No such opportunity of this kind.").FR("Aucune opportunité de ce type ne porte cet identifiant.")
	}
	return Opening(o, 0), ShowOpportunity(o), nil
}

// ShowOpportunity is the summary of an opportunity; a closed one has no
// place left.
func ShowOpportunity(o jobs.Opportunity) Summary {
	s := Summary{ID: o.ID, Kind: matching.Kind(o.Kind), Title: o.Title, Organisation: o.OrganisationID, Employer: o.Employer,
		ROME: []string{o.ROME}, Department: o.Place.Department, Postcode: o.Place.Postcode, City: o.Place.City,
		Start: string(o.Start), End: string(o.End), Capacity: o.Positions, Contract: o.Contract}
	if o.Status != jobs.StatusOpen {
		s.Capacity = 0
	}
	return s
}

// ShowMentor is the summary of a mentor: first name and company, trades,
// where they meet.
func ShowMentor(m mentoring.Mentor) Summary {
	rome := m.ROME
	if rome == nil {
		rome = []string{}
	}
	return Summary{ID: m.ID, Kind: matching.KindMentor, Title: m.FirstName + " — " + m.Company,
		Organisation: m.OrganisationID, Employer: m.Company, ROME: rome, Department: m.Place.Department,
		Postcode: m.Place.Postcode, City: m.Place.City, Capacity: m.FreeCapacity()}
}
