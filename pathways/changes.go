package pathways

import "context"

// ChangeNotifier hears of changes that make stored suggestions stale: a
// beneficiary's profile, or an opportunity. It is told after the change is
// stored, and never fails the change: a notifier that cannot pass the news
// on logs it (suggestions are recomputed at the next change or on demand).
// Where one is optional, nil means nobody listens.
type ChangeNotifier interface {
	BeneficiaryChanged(ctx context.Context, org, beneficiaryID string)
	OpportunityChanged(ctx context.Context, org, opportunityID string)
}
