package fairness

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// Service records monitoring attributes and reports the funnel by group.
type Service struct {
	Store Store
	// Pathways resolves programmes; Files, Outcomes and Audit read the
	// files, enrolments, measurements and suggestion views.
	Pathways  *pathways.Service
	Files     pathways.Store
	Outcomes  pathways.MeasurementStore
	Audit     pathways.AuditReader
	AuditLog  pathways.AuditLog
	Proposals proposals.Lister
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// Record stores the monitoring attributes of who's organisation's file
// id, given with the person's consent: staff record them, nobody reads
// them back but in aggregates. The change is audited.
func (s *Service) Record(ctx context.Context, who access.Principal, id string, r Record) error {
	b, err := pathways.Live(ctx, s.Files, who.OrganisationID, id)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	now := s.now()
	r.BeneficiaryID, r.OrganisationID, r.UpdatedAt, r.UpdatedBy = b.ID, b.OrganisationID, now, who.UserID
	if err := s.Store.SaveMonitoring(ctx, r); err != nil {
		return err
	}
	return pathways.WriteAudit(ctx, s.AuditLog, who, pathways.AuditUpdate, b.ID, now)
}

// Query says which funnel to report: a programme (id or name), the days
// of the period (inclusive), the attribute, a reference group ("" for the
// largest) and a kind of proposal ("" for all).
type Query struct {
	Programme string
	From, To  civil.Date
	Attribute Attribute
	Reference string
	Kind      proposals.Kind
}

// Report is the funnel of a programme by the groups of one attribute.
type Report struct {
	ProgrammeID string
	Programme   string
	Query       Query
	Funnel
	// Declines are the kinds of reason mentors declined for, by group.
	Declines    []DeclineRow
	GeneratedAt time.Time
}

// Report builds the funnel by group for a coordinator of the
// organisation: who was in the programme during the period (entered by
// its end, not left before its start) is eligible; their suggestions
// viewed or proposals made in the period, each proposal's steps, and
// their latest measurements at T+6 and T+12 make the next stages.
func (s *Service) Report(ctx context.Context, who access.Principal, q Query) (Report, error) {
	if who.Role != access.Coordinator {
		return Report{}, apperr.New(apperr.Forbidden, "Only coordinators read the fairness reports.").FR("Seuls les coordinateurs lisent les rapports d'équité.")
	}
	// A programme of another organisation is not found, as one that does
	// not exist.
	p, err := s.Pathways.Programme(ctx, who, q.Programme)
	if err != nil {
		return Report{}, err
	}
	org := who.OrganisationID
	var enrolled []pathways.Enrolled
	after := ""
	for {
		list, next, err := s.Outcomes.Enrolments(ctx, pathways.EnrolmentFilter{OrganisationID: org, ProgrammeID: p.ID, After: after, Limit: 1000})
		if err != nil {
			return Report{}, err
		}
		for _, e := range list {
			if e.EntryDate.Valid() && e.EntryDate <= q.To && (e.ExitedOn == "" || e.ExitedOn >= q.From) {
				enrolled = append(enrolled, e)
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	ids := make([]string, len(enrolled))
	for i, e := range enrolled {
		ids[i] = e.BeneficiaryID
	}
	files := map[string]pathways.Beneficiary{}
	records := map[string]Record{}
	reached := map[string]map[Stage]bool{}
	for _, id := range ids {
		reached[id] = map[Stage]bool{}
	}
	for i := 0; i < len(ids); i += 500 {
		part := ids[i:min(i+500, len(ids))]
		list, err := s.Files.BeneficiariesByID(ctx, org, part)
		if err != nil {
			return Report{}, err
		}
		for _, b := range list {
			files[b.ID] = b
		}
		recs, err := s.Store.MonitoringOf(ctx, org, part)
		if err != nil {
			return Report{}, err
		}
		for id, r := range recs {
			records[id] = r
		}
		latest, err := s.Outcomes.LatestMeasurementsOf(ctx, part)
		if err != nil {
			return Report{}, err
		}
		for id, byHorizon := range latest {
			for h, st := range map[int][2]Stage{6: {"measured-t6", PositiveT6}, 12: {"measured-t12", PositiveT12}} {
				if m, ok := byHorizon[h]; ok {
					reached[id][st[0]] = true
					reached[id][st[1]] = m.Positive
				}
			}
		}
		if err := s.suggested(ctx, org, part, q, reached); err != nil {
			return Report{}, err
		}
	}
	start, end := civil.StartInFrance(q.From), civil.StartInFrance(q.To.AddDate(0, 0, 1))
	declines := map[string][]string{}
	after = ""
	for {
		list, next, err := s.Proposals.Proposals(ctx, proposals.Filter{OrganisationID: org, Kind: q.Kind, After: after, Limit: 1000})
		if err != nil {
			return Report{}, err
		}
		for _, pr := range list {
			r, ok := reached[pr.BeneficiaryID]
			if !ok || pr.CreatedAt.Before(start) || !pr.CreatedAt.Before(end) {
				continue
			}
			r[Suggested], r[Proposed] = true, true
			for _, t := range pr.History {
				switch t.To {
				case proposals.Approved:
					r[Approved] = true
				case proposals.Sent:
					r[Approved], r[Sent] = true, true
				case proposals.Accepted:
					r[Approved], r[Sent], r[Accepted] = true, true, true
				}
			}
			if pr.State == proposals.Declined && pr.DeclineCode != "" {
				declines[pr.BeneficiaryID] = append(declines[pr.BeneficiaryID], pr.DeclineCode)
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	people := make([]Person, len(ids))
	byGroup := map[string]map[string]int{}
	for i, id := range ids {
		people[i] = Person{Group: GroupOf(q.Attribute, records[id], files[id], q.To), Reached: reached[id]}
		for _, code := range declines[id] {
			if byGroup[code] == nil {
				byGroup[code] = map[string]int{}
			}
			byGroup[code][people[i].Group]++
		}
	}
	f := Build(people, q.Reference)
	return Report{ProgrammeID: p.ID, Programme: p.Name, Query: q, Funnel: f, Declines: DeclineTable(byGroup, f.Groups), GeneratedAt: s.now()}, nil
}

// suggested marks who had their suggestions computed in the period: an
// adviser looked at them (the audit log keeps it).
func (s *Service) suggested(ctx context.Context, org string, ids []string, q Query, reached map[string]map[Stage]bool) error {
	if s.Audit == nil {
		return nil
	}
	before := ""
	for {
		list, next, err := s.Audit.AuditEntries(ctx, pathways.AuditFilter{OrganisationID: org, BeneficiaryIDs: ids, From: q.From, To: q.To, Before: before, Limit: 10000})
		if err != nil {
			return err
		}
		for _, e := range list {
			if e.Action == pathways.AuditSuggestions {
				reached[e.BeneficiaryID][Suggested] = true
			}
		}
		if next == "" {
			return nil
		}
		before = next
	}
}

// Recorded says whether who's organisation's file id has its monitoring
// attributes recorded, and when; the values themselves are never read
// back but in aggregate.
func (s *Service) Recorded(ctx context.Context, who access.Principal, id string) (time.Time, bool, error) {
	b, err := pathways.Live(ctx, s.Files, who.OrganisationID, id)
	if err != nil {
		return time.Time{}, false, err
	}
	recs, err := s.Store.MonitoringOf(ctx, b.OrganisationID, []string{b.ID})
	if err != nil {
		return time.Time{}, false, err
	}
	r, ok := recs[b.ID]
	return r.UpdatedAt, ok, nil
}
