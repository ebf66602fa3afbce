package workers

import (
	"context"
	"log/slog"
	"time"

	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/proposals"
)

// ProposalHousekeeping is the work of mentoring:remind: expire the sent
// proposals nobody answered in time, settle what a crash left half done
// (pending mentorships and PMSMP conventions, mentor places held), then
// list the reminders due (sent proposals about to expire, mentorships whose
// pair met too little) in the log.
func ProposalHousekeeping(props *proposals.Service, ment *mentoring.Service, log *slog.Logger) func(ctx context.Context, now time.Time) error {
	if log == nil {
		log = slog.Default()
	}
	return func(ctx context.Context, now time.Time) error {
		expired, err := props.ExpireDue(ctx, now)
		if err != nil {
			return err
		}
		repaired, err := ment.Repair(ctx, now)
		if err != nil {
			return err
		}
		conventions, err := props.RepairConventions(ctx, now)
		if err != nil {
			return err
		}
		reconciled, err := ment.ReconcileAll(ctx, now)
		if err != nil {
			return err
		}
		situations, err := props.RepairSituations(ctx, now)
		if err != nil {
			return err
		}
		expiring, err := props.Expiring(ctx, now)
		if err != nil {
			return err
		}
		alerts, err := ment.Alerts(ctx, now)
		if err != nil {
			return err
		}
		for _, p := range expiring {
			log.Info("reminder: proposal about to expire", "organisation", p.OrganisationID, "proposal", p.ID, "expiresAt", p.ExpiresAt)
		}
		for _, m := range alerts {
			log.Info("reminder: mentorship missing check-ins", "organisation", m.OrganisationID, "mentorship", m.ID)
		}
		log.Info("proposal housekeeping", "expired", expired, "repairedMentorships", repaired, "repairedConventions", conventions, "repairedSituations", situations,
			"reconciled", reconciled, "expiringSoon", len(expiring), "alerts", len(alerts))
		return nil
	}
}
