// Package jobs holds the opportunities beneficiaries are matched to: job
// offers, PMSMP placements and training sessions, who may see them (drafts
// are their publisher's), the openings interim agencies keep in step with
// their own systems (Service.Upsert), and the PMSMP conventions accepted
// placements make. The PMSMP rules themselves are in the leaf package pmsmp.
package jobs
