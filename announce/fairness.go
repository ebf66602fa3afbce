package announce

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/notify"
)

// FairnessWindow is the period the weekly watch reports on: the year up to
// the day it runs.
const FairnessWindow = 365

// FairnessAlerts reports, for each programme of each organisation and each
// monitoring attribute, the funnel of the last FairnessWindow days, and
// tells the organisation's coordinators of each cell in alert, once a
// week for the same alert. It returns how many alerts it found.
func (s *Service) FairnessAlerts(ctx context.Context, now time.Time) (int, error) {
	if s.Fairness == nil {
		return 0, nil
	}
	orgs, err := s.Users.Organisations(ctx)
	if err != nil {
		return 0, err
	}
	today := civil.InFrance(now)
	year, week := now.In(civil.France).ISOWeek()
	n := 0
	for _, org := range orgs {
		users, err := s.Users.Users(ctx, org.ID)
		if err != nil {
			return n, err
		}
		var coords []access.User
		for _, u := range users {
			if u.Role == access.Coordinator {
				coords = append(coords, u)
			}
		}
		if len(coords) == 0 {
			continue
		}
		who := access.Principal{UserID: "system", OrganisationID: org.ID, Role: access.Coordinator}
		progs, err := s.Beneficiaries.ListProgrammes(ctx, who)
		if err != nil {
			return n, err
		}
		for _, p := range progs {
			for _, a := range fairness.Attributes {
				r, err := s.Fairness.Report(ctx, who, fairness.Query{Programme: p.ID, From: today.AddDate(0, 0, -FairnessWindow), To: today, Attribute: a})
				if err != nil {
					return n, err
				}
				for _, row := range r.Rows {
					for _, c := range row.Cells {
						if !c.Alert {
							continue
						}
						n++
						id := fmt.Sprintf("%s:%s:%s:%s:%d-W%02d", p.ID, a, row.Stage, c.Group, year, week)
						data := map[string]string{"programme": p.Name, "programmeId": p.ID, "attribute": string(a), "stage": string(row.Stage),
							"group": c.Group, "reference": r.Reference, "ratio": strconv.FormatFloat(*c.Ratio, 'f', 2, 64),
							"low": strconv.FormatFloat(c.RatioInterval.Low, 'f', 2, 64), "high": strconv.FormatFloat(c.RatioInterval.High, 'f', 2, 64),
							"from": string(r.Query.From), "to": string(r.Query.To)}
						for _, u := range coords {
							if err := s.tell(ctx, u, notify.Message{ID: id, Kind: notify.FairnessAlert, Data: data}); err != nil {
								return n, err
							}
						}
					}
				}
			}
		}
	}
	return n, nil
}
