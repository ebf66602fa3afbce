package web

import (
	"context"
	"sort"
	"strings"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/proposals"
)

// Lists of proposals and mentorships name people and openings: these look
// them up in a few reads per page, never one per row.

// opening is what a row shows of an opening.
type opening struct {
	Title string
	Link  string
	// Place is where it happens.
	Place string
}

// openings names the openings of proposals: one read of the organisation's
// mentors, one read per distinct opportunity.
func (c *Console) openings(ctx context.Context, who access.Principal, list []proposals.Proposal) (map[string]opening, error) {
	out := map[string]opening{}
	var mentorsNeeded bool
	for _, p := range list {
		if p.Kind == proposals.KindMentor {
			mentorsNeeded = true
		}
	}
	if mentorsNeeded {
		ms, _, err := c.svc.Mentoring.ListMentors(ctx, who, mentoring.MentorFilter{Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out[m.ID] = opening{Title: m.FirstName + " " + m.LastName + " — " + m.Company, Place: m.Place.City}
		}
	}
	for _, p := range list {
		if _, seen := out[p.OpeningID]; seen || p.Kind == proposals.KindMentor {
			continue
		}
		o, err := c.svc.Opportunities.Get(ctx, who, p.OpeningID)
		if apperr.Is(err, apperr.NotFound) {
			out[p.OpeningID] = opening{Title: "—"}
			continue
		}
		if err != nil {
			return nil, err
		}
		out[p.OpeningID] = openingOf(o)
	}
	return out, nil
}

func openingOf(o jobs.Opportunity) opening {
	title := o.Title
	if o.Employer != "" {
		title += " — " + o.Employer
	}
	return opening{Title: title, Link: "/opportunites/" + o.ID, Place: o.Place.City}
}

// people are the beneficiaries of a list, by id.
type person struct {
	Name      string
	Referents []string
}

func (c *Console) people(ctx context.Context, who access.Principal, ids []string) (map[string]person, error) {
	list, err := c.svc.Beneficiaries.ListedByID(ctx, who, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]person, len(list))
	for _, b := range list {
		out[b.ID] = person{Name: strings.TrimSpace(b.FirstName + " " + b.LastName), Referents: b.Enrolment.Referents}
	}
	return out, nil
}

// staffNames names the organisation's users, by id.
func (c *Console) staffNames(ctx context.Context, who access.Principal) (map[string]access.User, error) {
	users, err := c.svc.Access.Users(ctx, who.OrganisationID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]access.User, len(users))
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sortUsers(list []access.User) {
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
}
