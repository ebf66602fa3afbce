package proposals

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
)

// SituationOf is the situation an accepted proposal on opportunity o makes
// for its beneficiary, as of day today: the contract of a job offer (an
// alternance or professionalisation contract as an alternance, an IAE
// contract as a subsidised one), the dates of a PMSMP placement, or a
// training (a course without a trade is a language course). It starts on
// the opportunity's start, or today when that is past or unknown. The
// adviser adjusts it afterwards if the contract signed differs.
func SituationOf(p Proposal, o jobs.Opportunity, today civil.Date) pathways.Situation {
	start := o.Start
	if !start.Valid() || start < today {
		start = today
	}
	sit := pathways.Situation{ID: "sit_" + p.ID, OrganisationID: p.OrganisationID, BeneficiaryID: p.BeneficiaryID,
		Start: start, Employer: o.Employer, Note: o.Title}
	if o.End.Valid() && o.End >= start {
		sit.End = o.End
	}
	switch p.Kind {
	case KindPMSMP:
		sit.Kind = pathways.SituationPMSMP
	case KindTraining:
		sit.Kind = pathways.SituationQualifyingTraining
		if o.ROME == "" {
			sit.Kind = pathways.SituationFLE
		}
	default:
		sit.Kind, sit.DurationMonths = pathways.SituationCDD, 0
		c := jobs.Contract{Type: "cdd"}
		if o.Contract != nil {
			c = *o.Contract
		}
		switch c.Type {
		case "cdi":
			sit.Kind, sit.End = pathways.SituationCDI, ""
		case "interim":
			sit.Kind = pathways.SituationInterim
		case "alternance", "professionnalisation":
			sit.Kind = pathways.SituationAlternance
		case "iae":
			sit.Kind = pathways.SituationSubsidised
		}
		if sit.Kind.FixedTerm() {
			sit.DurationMonths = c.Months
			if sit.DurationMonths <= 0 {
				sit.DurationMonths = monthsBetween(start, sit.End)
			}
			sit.End = ""
		}
	}
	return sit
}

// monthsBetween counts the months from start to end, started months
// included; 1 when end is unknown.
func monthsBetween(start, end civil.Date) int {
	if !end.Valid() {
		return 1
	}
	n := 0
	for d := start; d <= end && n < 120; d = start.AddMonths(n) {
		n++
	}
	return max(n, 1)
}

// recordSituation records the situation p's acceptance makes, once: its id
// is the proposal's, so a second acceptance path (a repair after a crash)
// finds it there.
func (s *Service) recordSituation(ctx context.Context, p Proposal, by string, now time.Time) error {
	if s.Situations == nil || p.Kind == KindMentor || s.Opportunities == nil {
		return nil
	}
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if err != nil {
		return err
	}
	sit := SituationOf(p, o, civil.InFrance(now))
	sit.RecordedAt, sit.RecordedBy = now, by
	if err := sit.Validate(); err != nil {
		return err
	}
	if err := s.Situations.CreateSituation(ctx, sit); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return nil
}

// SituationWindow is how far back RepairSituations looks for acceptances.
const SituationWindow = 7 * 24 * time.Hour

// RepairSituations records the situation of each job, placement or
// training accepted in the last SituationWindow whose recording a crash
// or an outage interrupted; those recorded already are left as they are
// (an adviser may have adjusted them). It returns how many it recorded.
func (s *Service) RepairSituations(ctx context.Context, now time.Time) (int, error) {
	if s.Situations == nil || s.Users == nil {
		return 0, nil
	}
	orgs, err := s.Users.Organisations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, org := range orgs {
		after := ""
		for {
			list, next, err := s.Store.Proposals(ctx, Filter{OrganisationID: org.ID, States: []State{Accepted}, UpdatedSince: now.Add(-SituationWindow), After: after, Limit: 500})
			if err != nil {
				return n, err
			}
			for _, p := range list {
				if p.Kind == KindMentor {
					continue
				}
				if _, err := s.Situations.Situation(ctx, p.OrganisationID, "sit_"+p.ID); err == nil {
					continue
				} else if !apperr.Is(err, apperr.NotFound) {
					return n, err
				}
				at := p.UpdatedAt
				by := SystemActor
				if len(p.History) > 0 {
					by = p.History[len(p.History)-1].By
				}
				if err := s.recordSituation(ctx, p, by, at); err != nil {
					return n, err
				}
				n++
			}
			if next == "" {
				break
			}
			after = next
		}
	}
	return n, nil
}
