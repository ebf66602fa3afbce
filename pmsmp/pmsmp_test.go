package pmsmp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func conv(id, host string, obj Objective, start, end time.Time) Convention {
	return Convention{ID: id, BeneficiaryID: "b1", HostID: host, Objective: obj, Start: start, End: end}
}

func renewal(id string, of Convention, start, end time.Time) Convention {
	c := conv(id, of.HostID, of.Objective, start, end)
	c.RenewalOf = of.ID
	return c
}

func TestPMSMPMaxEnd(t *testing.T) {
	tests := []struct {
		start, want time.Time
	}{
		{d(2027, 3, 15), d(2027, 4, 14)},
		{d(2026, 12, 15), d(2027, 1, 14)},
		{d(2027, 2, 1), d(2027, 2, 28)},
		{d(2027, 1, 31), d(2027, 2, 28)}, // no 31 February: its last day
		{d(2028, 1, 31), d(2028, 2, 29)},
		{d(2027, 1, 30), d(2027, 2, 28)},
		{time.Date(2027, 3, 15, 23, 30, 0, 0, time.UTC), d(2027, 4, 14)},
	}
	for _, tt := range tests {
		if got := MaxEnd(tt.start); !got.Equal(tt.want) {
			t.Errorf("MaxEnd(%s) = %s, want %s", tt.start.Format(time.DateOnly), got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}

// ruleOf keeps what most cases compare: the rule and the convention involved.
type ruleOf struct {
	Rule          Rule
	ConflictsWith string
}

func TestCheckPMSMP(t *testing.T) {
	march := conv("c1", "h1", Discover, d(2027, 3, 1), d(2027, 3, 31))
	renewed := renewal("c2", march, d(2027, 4, 1), d(2027, 4, 29))
	tests := []struct {
		name     string
		proposed Convention
		history  []Convention
		want     []ruleOf
	}{
		{"one month date to date: allowed", conv("", "h1", Discover, d(2027, 3, 15), d(2027, 4, 14)), nil, nil},
		{"one day more than a month: refused", conv("", "h1", Discover, d(2027, 3, 15), d(2027, 4, 15)), nil,
			[]ruleOf{{Rule: RuleDuration}}},
		{"renewal with the same objectives, 60 days in all: allowed", renewed, []Convention{march}, nil},
		{"renewal bringing the total to 61 days: refused", renewal("c2", march, d(2027, 4, 1), d(2027, 4, 30)), []Convention{march},
			[]ruleOf{{Rule: RuleDays}}},
		{"renewal with another objective: refused",
			func() Convention { c := renewed; c.Objective = Confirm; return c }(), []Convention{march},
			[]ruleOf{{Rule: RuleRenewal, ConflictsWith: "c1"}}},
		{"renewal of a renewal: refused", renewal("c3", renewed, d(2027, 5, 1), d(2027, 5, 5)), []Convention{march, renewed},
			[]ruleOf{{Rule: RuleRenewal, ConflictsWith: "c2"}, {Rule: RuleDays}}},
		{"second renewal of the same convention: refused", renewal("c3", march, d(2027, 5, 1), d(2027, 5, 5)), []Convention{march, renewed},
			[]ruleOf{{Rule: RuleRenewal, ConflictsWith: "c1"}, {Rule: RuleDays}}},
		{"renewal of an unknown convention: refused", renewal("c2", conv("zz", "h1", Discover, d(2027, 3, 1), d(2027, 3, 31)), d(2027, 4, 1), d(2027, 4, 10)), nil,
			[]ruleOf{{Rule: RuleRenewal, ConflictsWith: "zz"}}},
		{"renewal overlapping the convention it renews: refused", renewal("c2", march, d(2027, 3, 20), d(2027, 4, 5)), []Convention{march},
			[]ruleOf{{Rule: RuleOverlap, ConflictsWith: "c1"}, {Rule: RuleRenewal, ConflictsWith: "c1"}}},
		{"second convention with the host, another objective: allowed", conv("c4", "h1", Recruit, d(2027, 9, 1), d(2027, 9, 20)), []Convention{march}, nil},
		{"second convention with the host, same objective within 12 months: refused", conv("c4", "h1", Discover, d(2028, 2, 1), d(2028, 2, 10)), []Convention{march},
			[]ruleOf{{Rule: RuleObjective, ConflictsWith: "c1"}}},
		{"same objective again 13 months later: allowed", conv("c4", "h1", Discover, d(2028, 4, 1), d(2028, 4, 10)), []Convention{march}, nil},
		{"third convention with the host within 12 months: refused",
			conv("c6", "h1", Recruit, d(2027, 10, 1), d(2027, 10, 5)),
			[]Convention{conv("c1", "h1", Discover, d(2027, 1, 4), d(2027, 1, 8)), conv("c5", "h1", Confirm, d(2027, 5, 3), d(2027, 5, 7))},
			[]ruleOf{{Rule: RuleCount}}},
		{"a window is 12 consecutive months: the first convention has left it",
			conv("c6", "h1", Recruit, d(2028, 1, 10), d(2028, 1, 14)),
			[]Convention{conv("c1", "h1", Discover, d(2027, 1, 4), d(2027, 1, 8)), conv("c5", "h1", Confirm, d(2027, 5, 3), d(2027, 5, 7))},
			nil},
		{"over 60 days with the host across two conventions: refused",
			conv("c7", "h1", Confirm, d(2027, 6, 1), d(2027, 6, 30)), []Convention{march},
			[]ruleOf{{Rule: RuleDays}}},
		{"another host in the same months, no overlap: allowed", conv("c8", "h2", Discover, d(2027, 4, 1), d(2027, 4, 20)), []Convention{march}, nil},
		{"overlapping another host's convention: refused", conv("c8", "h2", Discover, d(2027, 3, 25), d(2027, 4, 20)), []Convention{march},
			[]ruleOf{{Rule: RuleOverlap, ConflictsWith: "c1"}}},
		{"another beneficiary's history is ignored", conv("c4", "h1", Discover, d(2027, 3, 1), d(2027, 3, 31)),
			[]Convention{func() Convention { c := march; c.BeneficiaryID = "b2"; return c }()}, nil},
		{"re-checking a stored convention ignores itself", march, []Convention{march}, nil},
		{"no host: invalid", conv("", "", Discover, d(2027, 3, 1), d(2027, 3, 5)), nil, []ruleOf{{Rule: RuleInvalid}}},
		{"unknown objective: invalid", conv("", "h1", "visit", d(2027, 3, 1), d(2027, 3, 5)), nil, []ruleOf{{Rule: RuleInvalid}}},
		{"ends before it starts: invalid", conv("", "h1", Discover, d(2027, 3, 5), d(2027, 3, 1)), nil, []ruleOf{{Rule: RuleInvalid}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []ruleOf
			for _, v := range Check(tt.proposed, tt.history) {
				if v.EN == "" || v.FR == "" {
					t.Errorf("violation %s lacks a sentence: %+v", v.Rule, v)
				}
				got = append(got, ruleOf{v.Rule, v.ConflictsWith})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckPMSMPSentences(t *testing.T) {
	march := conv("c1", "h1", Discover, d(2027, 3, 1), d(2027, 3, 31))
	tests := []struct {
		name     string
		proposed Convention
		history  []Convention
		want     []Violation
	}{
		{"too long", conv("", "h1", Discover, d(2027, 3, 15), d(2027, 4, 30)), nil, []Violation{{
			Rule: RuleDuration,
			EN:   "A PMSMP lasts at most one month: starting on 15 March 2027, it must end by 14 April 2027.",
			FR:   "Une PMSMP dure au plus un mois : commencée le 15 mars 2027, elle doit se terminer au plus tard le 14 avril 2027.",
		}}},
		{"over 60 days", conv("c7", "h1", Confirm, d(2027, 6, 1), d(2027, 6, 30)), []Convention{march}, []Violation{{
			Rule: RuleDays,
			EN:   "At most 60 days of PMSMP with the same host in any 12 consecutive months, renewals included: this one would make 61.",
			FR:   "Au plus 60 jours de PMSMP avec la même structure d'accueil sur 12 mois consécutifs, renouvellements compris : celle-ci porterait le total à 61.",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Check(tt.proposed, tt.history)); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPMSMPConventionDays(t *testing.T) {
	c := conv("", "h1", Discover, d(2027, 3, 30), time.Date(2027, 4, 2, 18, 0, 0, 0, time.UTC))
	if got := c.Days(); got != 4 {
		t.Errorf("Days() = %d, want 4 (both ends included)", got)
	}
}
