package conventions

import (
	"testing"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

func TestTheLifecycleAllowsOnlyItsSteps(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	allowed := map[[2]State]bool{}
	for from, tos := range next {
		for _, to := range tos {
			allowed[[2]State{from, to}] = true
		}
	}
	all := []State{Draft, Sent, PartiallySigned, Signed, Validated, InProgress, Ended, Assessed, Cancelled, Rejected}
	for _, from := range all {
		for _, to := range all {
			d := Document{State: from, Version: 3}
			n, err := d.Advance(to, "usr_1", "why", at)
			if allowed[[2]State{from, to}] {
				if err != nil || n.State != to || n.Version != 4 || len(n.History) != 1 || n.History[0] != (Transition{From: from, To: to, At: at, By: "usr_1", Reason: "why"}) {
					t.Errorf("%s → %s: %+v %v", from, to, n, err)
				}
				continue
			}
			if !apperr.Is(err, apperr.Conflict) || n.State != from {
				t.Errorf("%s → %s was allowed (%v)", from, to, err)
			}
		}
	}
	// Every state but the ends leads somewhere; the ends lead nowhere.
	for _, s := range all {
		ends := s == Assessed || s == Cancelled || s == Rejected
		if (len(next[s]) == 0) != ends {
			t.Errorf("%s: steps %v", s, next[s])
		}
		if s.French() == "" {
			t.Errorf("%s has no French", s)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	for _, tt := range []struct {
		from, to civil.Date
		want     int
	}{
		{"2026-12-03", "2026-12-07", 2}, // Thursday to Monday: Friday, Monday
		{"2026-12-04", "2026-12-07", 1}, // Friday to Monday
		{"2026-12-07", "2026-12-07", 0},
		{"2026-12-01", "2026-12-04", 3},
	} {
		if got := workingDaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("workingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}
