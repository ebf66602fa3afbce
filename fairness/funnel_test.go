package fairness_test

import (
	"testing"

	"github.com/parcours-emploi/parcours/fairness"
)

// cohort makes n people of a group who reach the stages up to sent, of
// whom accepted are accepted.
func cohort(group string, n, accepted int) []fairness.Person {
	var out []fairness.Person
	for i := 0; i < n; i++ {
		r := map[fairness.Stage]bool{fairness.Suggested: true, fairness.Proposed: true, fairness.Approved: true, fairness.Sent: true}
		if i < accepted {
			r[fairness.Accepted] = true
		}
		out = append(out, fairness.Person{Group: group, Reached: r})
	}
	return out
}

func row(f fairness.Funnel, st fairness.Stage) fairness.Row {
	for _, r := range f.Rows {
		if r.Stage == st {
			return r
		}
	}
	return fairness.Row{}
}

func cell(r fairness.Row, group string) fairness.Cell {
	for _, c := range r.Cells {
		if c.Group == group {
			return c
		}
	}
	return fairness.Cell{}
}

// TestMentorsDecliningWomenTwiceAsOftenRaiseAnAlert: 120 men and 100 women
// are sent to mentors; men are declined 20 % of the time, women 40 %: the
// "accepted" stage of women reads 60 % against 80 %, a ratio of 0.75 whose
// interval (0.62–0.90) excludes parity: an alert, there only.
func TestMentorsDecliningWomenTwiceAsOftenRaiseAnAlert(t *testing.T) {
	people := append(cohort("male", 120, 96), cohort("female", 100, 60)...)
	f := fairness.Build(people, "")
	if f.Reference != "male" || f.Alerts != 1 {
		t.Fatalf("reference %q, %d alerts; want male and 1", f.Reference, f.Alerts)
	}
	c := cell(row(f, fairness.Accepted), "female")
	if !c.Alert || c.Ratio == nil || !near(*c.Ratio, 0.75) || !near(*c.Rate, 0.6) || !near(c.RatioInterval.Low, 0.6244) || !near(c.RatioInterval.High, 0.9009) {
		t.Fatalf("women accepted: %+v", c)
	}
	if w := c.RateInterval; !near(w.Low, 0.5020) || !near(w.High, 0.6906) {
		t.Errorf("the Wilson interval of 60/100 is %.4f–%.4f", w.Low, w.High)
	}
	for _, r := range f.Rows {
		for _, c := range r.Cells {
			if c.Alert && r.Stage != fairness.Accepted {
				t.Errorf("an alert at %s for %s", r.Stage, c.Group)
			}
		}
	}
}

// TestAFairCohortRaisesNoAlert: the same rates for both groups, and a small
// difference (78 % against 80 %) inside the band, raise nothing.
// TestASmallGroupDoesNotHideADisparity: beside a small group (9 of 12
// accepted), the stage's total is hidden, not the women's cell: the
// alert stays.
func TestASmallGroupDoesNotHideADisparity(t *testing.T) {
	people := append(append(cohort("male", 120, 96), cohort("female", 100, 60)...), cohort(fairness.NotProvided, 12, 9)...)
	f := fairness.Build(people, "")
	r := row(f, fairness.Accepted)
	if c := cell(r, "female"); !c.Alert || !r.TotalHidden || !cell(r, fairness.NotProvided).Suppressed {
		t.Errorf("accepted: total hidden %v, women %+v", r.TotalHidden, c)
	}
}

func TestAFairCohortRaisesNoAlert(t *testing.T) {
	for _, people := range [][]fairness.Person{
		append(cohort("male", 120, 96), cohort("female", 100, 80)...),
		append(cohort("male", 120, 96), cohort("female", 100, 78)...),
	} {
		if f := fairness.Build(people, ""); f.Alerts != 0 {
			t.Errorf("%d alerts in a fair cohort", f.Alerts)
		}
	}
}

// TestASmallGroupIsSuppressedAndNotRecoverable: a group of 7 reads "< 10"
// at every stage; the eligible row hides another cell with it (the
// programme's size is known elsewhere), the other rows their total, so the
// total less the cells shown is never one cell's count; no rate or ratio
// gives a hidden count back.
func TestASmallGroupIsSuppressedAndNotRecoverable(t *testing.T) {
	people := append(append(cohort("western-asia", 80, 60), cohort("eastern-africa", 40, 30)...), cohort("central-asia", 7, 5)...)
	f := fairness.Build(people, "")
	for _, r := range f.Rows {
		if r.Stage == fairness.PositiveT6 || r.Stage == fairness.PositiveT12 {
			continue // nobody measured: all hidden
		}
		small := cell(r, "central-asia")
		if !small.Suppressed || small.Count != nil || small.Rate != nil || small.Ratio != nil {
			t.Errorf("%s: the group of 7 shows %+v", r.Stage, small)
		}
		shown, hidden := 0, 0
		for _, c := range r.Cells {
			if c.Count != nil {
				shown += *c.Count
			} else {
				hidden++
			}
		}
		if hidden < 2 && (!r.TotalHidden || r.Stage == fairness.Eligible) {
			t.Errorf("%s: %d cell hidden; the total %d less the cells shown (%d) gives it back", r.Stage, hidden, r.Total, shown)
		}
	}
	// The complementary cell's next rate would give its hidden base back.
	for i, r := range f.Rows[1:] {
		for j, c := range r.Cells {
			if f.Rows[i].Cells[j].Suppressed && (c.Rate != nil || c.Base != nil) {
				t.Errorf("%s, %s: a rate over a hidden base", r.Stage, c.Group)
			}
		}
	}
}

// TestTheReferenceGroupStaysShown: beside a small group, the eligible row
// hides another cell; when two groups tie for the smallest, it is not the
// reference, on which every ratio rests.
func TestTheReferenceGroupStaysShown(t *testing.T) {
	people := append(append(cohort("female", 14, 10), cohort("male", 14, 10)...), cohort(fairness.NotProvided, 5, 3)...)
	f := fairness.Build(people, "")
	r := row(f, fairness.Eligible)
	if f.Reference != "female" || cell(r, "female").Suppressed || !cell(r, "male").Suppressed || !cell(r, fairness.NotProvided).Suppressed {
		t.Errorf("reference %s, eligible %+v", f.Reference, r.Cells)
	}
}
