package fairness

import (
	"context"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// Attribute is a monitoring attribute.
type Attribute string

// The monitoring attributes: sex and nationality are recorded apart (a
// Record); the age band and the protection status come from the file.
const (
	Sex        Attribute = "sex"
	Region     Attribute = "region"
	AgeBand    Attribute = "age-band"
	Protection Attribute = "protection"
	// BPIFamily says whether the person is a family member of a
	// beneficiary of international protection.
	BPIFamily Attribute = "bpi-family"
)

// Attributes lists the monitoring attributes.
var Attributes = []Attribute{Sex, Region, AgeBand, Protection, BPIFamily}

// Sexes are the values of the attribute sex.
var Sexes = []string{"female", "male", "other"}

// Record holds a person's monitoring attributes, apart from the file:
// empty fields are "not provided".
type Record struct {
	BeneficiaryID  string
	OrganisationID string
	Sex            string
	// Nationality is an ISO 3166-1 alpha-2 code; reports show its region.
	Nationality string
	UpdatedAt   time.Time
	UpdatedBy   string
}

// Validate names each bad field.
func (r Record) Validate() error {
	var bad []apperr.FieldError
	if r.Sex != "" && !slices.Contains(Sexes, r.Sex) {
		bad = append(bad, apperr.FieldError{Pointer: "/sex", Tag: "oneof", Detail: "The sex is female, male, other or empty (not provided).",
			DetailFR: "Le sexe est féminin, masculin, autre ou vide (non renseigné)."})
	}
	if r.Nationality != "" && RegionOf(r.Nationality) == NotProvided {
		bad = append(bad, apperr.FieldError{Pointer: "/nationality", Tag: "iso3166_1_alpha2", Detail: "The nationality is a country's ISO code of two letters (AF, SY, ER…).",
			DetailFR: "La nationalité est le code ISO à deux lettres d'un pays (AF, SY, ER…)."})
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "The monitoring attributes are not valid.").FR("Les données de suivi de l'équité ne sont pas valides.")
	}
	return nil
}

// Store keeps the monitoring records, apart from the files.
type Store interface {
	// SaveMonitoring stores r over the person's record.
	SaveMonitoring(ctx context.Context, r Record) error
	// MonitoringOf returns org's records of the people among ids.
	MonitoringOf(ctx context.Context, org string, ids []string) (map[string]Record, error)
	// EraseMonitoring deletes the person's record.
	EraseMonitoring(ctx context.Context, org, beneficiaryID string) error
}

// subregions are the UN M49 sub-regions a nationality is reported by.
var subregions = []struct{ code, name string }{
	{"014", "eastern-africa"}, {"017", "middle-africa"}, {"015", "northern-africa"}, {"018", "southern-africa"}, {"011", "western-africa"},
	{"029", "caribbean"}, {"013", "central-america"}, {"005", "south-america"}, {"021", "northern-america"},
	{"143", "central-asia"}, {"030", "eastern-asia"}, {"035", "south-eastern-asia"}, {"034", "southern-asia"}, {"145", "western-asia"},
	{"151", "eastern-europe"}, {"154", "northern-europe"}, {"039", "southern-europe"}, {"155", "western-europe"},
	{"053", "australia-new-zealand"}, {"054", "melanesia"}, {"057", "micronesia"}, {"061", "polynesia"},
}

// Regions lists the regions reports group nationalities by.
func Regions() []string {
	out := make([]string, len(subregions))
	for i, s := range subregions {
		out[i] = s.name
	}
	return out
}

// RegionOf is the UN M49 sub-region of a country (ISO 3166-1 alpha-2),
// NotProvided for no country or an unknown code.
func RegionOf(country string) string {
	c := strings.ToUpper(strings.TrimSpace(country))
	if len(c) != 2 {
		return NotProvided
	}
	r, err := language.ParseRegion(c)
	if err != nil || !r.IsCountry() {
		return NotProvided
	}
	for _, s := range subregions {
		if language.MustParseRegion(s.code).Contains(r) {
			return s.name
		}
	}
	return NotProvided
}

// AgeBands are the age bands, youngest first.
var AgeBands = []string{"under-26", "26-35", "36-45", "46-55", "56-plus"}

// AgeBandOf is the band of the age at day on of someone born on birth.
func AgeBandOf(birth, on civil.Date) string {
	if !birth.Valid() || !on.Valid() {
		return NotProvided
	}
	b, d := birth.Time(), on.Time()
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || d.Month() == b.Month() && d.Day() < b.Day() {
		age-- // no birthday yet this year
	}
	switch {
	case age < 26:
		return "under-26"
	case age <= 35:
		return "26-35"
	case age <= 45:
		return "36-45"
	case age <= 55:
		return "46-55"
	}
	return "56-plus"
}

// GroupOf is the group of a person for an attribute, at day on.
func GroupOf(a Attribute, r Record, b pathways.Beneficiary, on civil.Date) string {
	switch a {
	case Sex:
		if r.Sex != "" {
			return r.Sex
		}
	case Region:
		return RegionOf(r.Nationality)
	case AgeBand:
		return AgeBandOf(b.BirthDate, on)
	case Protection:
		if b.Protection != "" {
			return string(b.Protection)
		}
	case BPIFamily:
		if b.Protection != "" {
			if b.Protection == pathways.ProtectionFamily {
				return "yes"
			}
			return "no"
		}
	}
	return NotProvided
}
