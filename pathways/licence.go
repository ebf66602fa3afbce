package pathways

import (
	"slices"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// Driving licence statuses. A licence issued abroad is valid in France for
// a year after the first residence permit; within that year it is
// exchanged for a French one when the issuing country has an agreement
// with France, and otherwise the French licence is taken from scratch.
const (
	LicenceNone                   = "none"
	LicenceFrench                 = "french"
	LicenceForeignExchangeable    = "foreign-exchangeable"
	LicenceExchangeInProgress     = "exchange-in-progress"
	LicenceForeignNotExchangeable = "foreign-not-exchangeable"
)

// LicenceStatuses lists the statuses in the order forms show them.
var LicenceStatuses = []string{LicenceNone, LicenceFrench, LicenceForeignExchangeable, LicenceExchangeInProgress, LicenceForeignNotExchangeable}

// LicenceCategories are the categories of the French driving licence.
var LicenceCategories = []string{"AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"}

// DrivingLicence is a beneficiary's driving licence: its status, the
// categories it covers (those of the foreign licence while it is not
// exchanged) and, for an exchange in progress, the day the French licence
// is expected. The zero value is "not said".
type DrivingLicence struct {
	Status           string
	Categories       []string
	ExchangeExpected civil.Date
}

// Held reports whether the licence is a French one covering category.
func (d DrivingLicence) Held(category string) bool {
	return d.Status == LicenceFrench && slices.Contains(d.Categories, category)
}

// Check names each rule the licence breaks, under the pointer prefix
// ("/mobility/drivingLicence"): categories without a licence, a licence
// without categories, an expected day outside an exchange in progress.
func (d DrivingLicence) Check(prefix string) []apperr.FieldError {
	var bad []apperr.FieldError
	switch {
	case (d.Status == "" || d.Status == LicenceNone) && len(d.Categories) > 0:
		bad = append(bad, apperr.FieldError{Pointer: prefix + "/categories", Tag: "excluded_unless",
			Detail:   "Categories are given with a licence: choose its status first.",
			DetailFR: "Les catégories se donnent avec un permis : choisissez d'abord sa situation."})
	case d.Status != "" && d.Status != LicenceNone && len(d.Categories) == 0:
		bad = append(bad, apperr.FieldError{Pointer: prefix + "/categories", Tag: "required_with",
			Detail:   "Give the categories the licence covers (B for a car).",
			DetailFR: "Indiquez les catégories du permis (B pour une voiture)."})
	}
	if d.ExchangeExpected != "" && d.Status != LicenceExchangeInProgress {
		bad = append(bad, apperr.FieldError{Pointer: prefix + "/exchangeExpected", Tag: "excluded_unless",
			Detail:   "An expected day is given only for an exchange in progress.",
			DetailFR: "Une date prévue ne se donne que pour un échange en cours."})
	}
	return bad
}
