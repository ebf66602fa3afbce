package pathways

import (
	"context"
	"sort"
	"strings"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
)

// Follow-up kinds.
const (
	// FollowUpAfterExit is a follow-up interview some months after the
	// exit (AGIR: 3 and 6 months).
	FollowUpAfterExit = "after-exit"
	// FollowUpLimit is the end of the longest support the programme allows
	// (AGIR: 24 months), coming near.
	FollowUpLimit = "support-limit"
)

// FollowUpLead is how many days ahead a follow-up becomes a task, and
// FollowUpLimitLead how many days before the support limit the alert comes.
const (
	FollowUpLead      = 14
	FollowUpLimitLead = 60
	// FollowUpKeep is how many days a follow-up passed stays a task.
	FollowUpKeep = 30
)

// FollowUp is a task for a person's referents: a follow-up interview due
// after the exit, or the support limit coming near.
type FollowUp struct {
	BeneficiaryID string
	Name          string
	Kind          string
	// Months is the months after the exit, or the programme's limit.
	Months int
	Date   civil.Date
}

// FollowUpsOf lists the follow-ups of a file falling between today less
// FollowUpKeep days and today plus the lead, under programme p.
func FollowUpsOf(b Beneficiary, p Programme, today civil.Date) []FollowUp {
	var out []FollowUp
	name := strings.TrimSpace(b.FirstName + " " + b.LastName)
	since := today.AddDate(0, 0, -FollowUpKeep)
	if b.ExitedOn.Valid() {
		for _, m := range p.ExitHorizons {
			d := b.ExitedOn.AddMonths(m)
			if d >= since && d <= today.AddDate(0, 0, FollowUpLead) {
				out = append(out, FollowUp{BeneficiaryID: b.ID, Name: name, Kind: FollowUpAfterExit, Months: m, Date: d})
			}
		}
		return out
	}
	if p.DurationMonths > 0 && b.Enrolment.EntryDate.Valid() {
		d := b.Enrolment.EntryDate.AddMonths(p.DurationMonths)
		if d >= since && d <= today.AddDate(0, 0, FollowUpLimitLead) {
			out = append(out, FollowUp{BeneficiaryID: b.ID, Name: name, Kind: FollowUpLimit, Months: p.DurationMonths, Date: d})
		}
	}
	return out
}

// FollowUps lists, for who's organisation's beneficiaries (of the referent,
// when one is given), the follow-up interviews and support limits that are
// tasks on day today, soonest first.
func (s *Service) FollowUps(ctx context.Context, who access.Principal, referent string, today civil.Date) ([]FollowUp, error) {
	progs, err := s.Programmes.Programmes(ctx, who.OrganisationID)
	if err != nil {
		return nil, err
	}
	byID := map[string]Programme{}
	for _, p := range progs {
		byID[p.ID] = p
	}
	var out []FollowUp
	for _, status := range []string{StatusActive, StatusExited} {
		after := ""
		for {
			list, next, err := s.Store.Beneficiaries(ctx, Filter{OrganisationID: who.OrganisationID, Referent: referent, Status: status, After: after, Limit: 1000})
			if err != nil {
				return nil, err
			}
			for _, b := range list {
				p, ok := byID[b.Enrolment.ProgrammeID]
				if !ok {
					p = ProgrammeDefaults(Programme{Name: b.Enrolment.Programme})
				}
				out = append(out, FollowUpsOf(b, p, today)...)
			}
			if next == "" {
				break
			}
			after = next
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}
