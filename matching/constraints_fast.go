package matching

import (
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// quickCheck is check without explanations, for the index's many pairs: the
// same constraints on prepared values, stopping at the first failure. It
// reads today's day number from f and records there the distance it
// measures (or reads it there when the caller measured it). The explained
// and fast paths are held equal by tests (Score against Evaluate on every
// case and fuzzed pairs).
func (e *Engine) quickCheck(sc *seekerCtx, oc *openingCtx, now time.Time, f *facts) bool {
	s := sc.s
	if !oc.kindOK || oc.capacity <= 0 {
		return false
	}
	if sc.families != 0 && oc.families != 0 && sc.families&oc.families == 0 && !oc.anyTrade {
		return false
	}
	if !oc.remote {
		if sc.hasCoords && oc.hasCoords && s.MaxKm > 0 {
			// The latitude difference alone bounds the distance from below;
			// a flat-earth estimate rejects the clearly distant pairs
			// without trigonometry (2% margin, far above its error below
			// 500 km).
			dy := (oc.lat - sc.lat) * earthKm
			if dy > s.MaxKm || -dy > s.MaxKm {
				return false
			}
			dx := (oc.lon - sc.lon) * earthKm * min(sc.cosLat, oc.cosLat)
			if lim := s.MaxKm * 1.02; s.MaxKm <= 500 && dx*dx+dy*dy > lim*lim {
				return false
			}
			if !f.kmSet {
				f.km, f.kmSet = distance(sc, oc), true
			}
			if f.km > s.MaxKm {
				return false
			}
		} else if sc.dept == "" || sc.dept != oc.dept {
			return false
		}
	}
	for k, req := range oc.french {
		if req != LevelNone && max(s.French[k], BelowA1) < req {
			return false
		}
	}
	if oc.diploma && !diplomaOK(s, oc.o.Diploma) {
		return false
	}
	if oc.licensed {
		for _, l := range oc.licences {
			if held, _ := holdsLicence(sc, oc, f.today, l); !held {
				return false
			}
		}
	}
	avail := max(f.today, sc.availDay)
	if oc.endDay != noDay && oc.endDay < avail {
		return false
	}
	if oc.fixedDate && oc.startDay != noDay && oc.startDay < avail {
		return false
	}
	if oc.hours > 0 && s.HoursPerWeek > 0 && int(oc.hours) > maxHours(s) {
		return false
	}
	if oc.days != 0 && s.Days != 0 && oc.days&^s.Days != 0 {
		return false
	}
	if oc.mentor && !oc.trained {
		return false
	}
	if len(s.Taken) > 0 && s.Taken[oc.o.ID] {
		return false
	}
	if len(s.Declines) > 0 {
		if until, ok := s.Declines[oc.o.ID]; ok && now.Before(until) {
			return false
		}
	}
	if oc.pmsmp {
		o := oc.o
		end := o.End
		if end.IsZero() {
			end = pmsmp.MaxEnd(o.Start)
		}
		proposed := pmsmp.Convention{BeneficiaryID: s.ID, HostID: o.HostID, Objective: o.Objective, Start: o.Start, End: end}
		if len(pmsmp.Check(proposed, s.PMSMPHistory)) > 0 {
			return false
		}
	}
	return true
}

func diplomaOK(s *Seeker, d DiplomaRequirement) bool {
	field := strings.ToUpper(strings.TrimSpace(d.Field))
	for i := range s.Diplomas {
		h := &s.Diplomas[i]
		if h.Level >= d.MinLevel && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(h.Field)), field) &&
			(!d.Recognised || h.Recognition.Recognised()) {
			return true
		}
	}
	return false
}
