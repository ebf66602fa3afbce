package jobs

import (
	"context"

	"github.com/parcours-emploi/parcours/pmsmp"
)

// PMSMPStore keeps the PMSMP conventions beneficiaries entered, so the
// PMSMP rules (two per host in 12 months, 60 days, one renewal) can be held
// when a placement is accepted and when matching proposes one.
type PMSMPStore interface {
	// CreatePMSMPConvention records c for org; recording the same id again
	// changes nothing and is not an error.
	CreatePMSMPConvention(ctx context.Context, org string, c pmsmp.Convention) error
	// PMSMPConventions returns the beneficiary's conventions, oldest first.
	PMSMPConventions(ctx context.Context, org, beneficiaryID string) ([]pmsmp.Convention, error)
	// PMSMPConventionsOf returns every convention of org, by beneficiary.
	PMSMPConventionsOf(ctx context.Context, org string) (map[string][]pmsmp.Convention, error)
}

// ConventionFor returns the convention that the beneficiary's acceptance of
// the PMSMP placement o makes, under the id given; ok is false when o is
// not a PMSMP placement.
func ConventionFor(id, beneficiaryID string, o Opportunity) (c pmsmp.Convention, ok bool) {
	if o.Kind != KindPMSMP || o.PMSMP == nil {
		return pmsmp.Convention{}, false
	}
	return pmsmp.Convention{
		ID: id, BeneficiaryID: beneficiaryID, HostID: o.PMSMP.HostID, Objective: o.PMSMP.Objective,
		Start: o.Start.Time(), End: o.End.Time(),
	}, true
}
