// Package jobs holds the opportunities beneficiaries are matched to: job
// offers, PMSMP placements (with the PMSMP rules of the Code du travail) and
// training sessions, including the openings interim agencies submit from their
// own systems.
package jobs
