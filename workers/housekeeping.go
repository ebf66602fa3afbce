package workers

import (
	"context"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/mentoring"
)

// MentoringHousekeeping is the work of mentoring:remind: expire the sent
// proposals nobody answered in time, settle what a crash left half done
// (pending mentorships, places held), then list the reminders due (sent
// proposals about to expire, mentorships whose pair met too little) in the
// log, the channel Parcours has for them so far.
func MentoringHousekeeping(svc *mentoring.Service, log *slog.Logger) func(ctx context.Context, now time.Time) error {
	if log == nil {
		log = slog.Default()
	}
	return func(ctx context.Context, now time.Time) error {
		expired, err := svc.ExpireDue(ctx, now)
		if err != nil {
			return err
		}
		repaired, err := svc.Repair(ctx, now)
		if err != nil {
			return err
		}
		reconciled, err := svc.ReconcileAll(ctx, now)
		if err != nil {
			return err
		}
		r, err := svc.Reminders(ctx, now)
		if err != nil {
			return err
		}
		for _, p := range r.Expiring {
			log.Info("reminder: proposal about to expire", "organisation", p.OrganisationID, "proposal", p.ID, "expiresAt", p.ExpiresAt)
		}
		for _, m := range r.Alerts {
			log.Info("reminder: mentorship missing check-ins", "organisation", m.OrganisationID, "mentorship", m.ID)
		}
		log.Info("mentoring housekeeping", "expired", expired, "repaired", repaired, "reconciled", reconciled,
			"expiringSoon", len(r.Expiring), "alerts", len(r.Alerts))
		return nil
	}
}
