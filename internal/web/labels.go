package web

import (
	"fmt"
	"regexp"
	"unicode"
)

// labels map a form's field names to the catalogue messages of their labels.
type labels map[string]string

// rowIndex is the index of a row in a field's name ("diplomas.0.title").
var rowIndex = regexp.MustCompile(`\.[0-9]+\.`)

// key is the message of the field's label: "" when the form has no such field.
func (l labels) key(name string) string {
	if k, ok := l[name]; ok {
		return k
	}
	return l[rowIndex.ReplaceAllString(name, ".N.")]
}

// formLabels name the fields of each page's form: the field's name (a
// row's index written N) → the catalogue message of its label. The
// fields' labels and the error summary read them, so a field and its
// error are named alike.
var formLabels = map[string]labels{
	"team": {"firstName": "field.firstName", "lastName": "field.lastName", "email": "team.email", "phone": "team.phone",
		"role": "team.col.role", "company": "team.company", "rome": "team.rome", "capacity": "team.capacity",
		"agency": "team.key.agency", "label": "team.key.label", "contact": "team.key.contact"},
	"monitoring": {"sex": "monitoring.sex", "nationality": "monitoring.nationality"},
	"programmes": {"name": "programmes.name", "ruleSet": "programmes.ruleset", "durationMonths": "programmes.duration",
		"horizons": "programmes.horizons", "exitHorizons": "programmes.exitHorizons", "targetRate": "programmes.target"},
	"audit":              {"personne": "audit.person", "du": "audit.from", "au": "audit.to"},
	"convention-renewal": {"endDate": "renewal.end"},
	"signature":          {"name": "signature.name"},
	"assessment":         {"outcome": "assessment.outcome", "skills": "assessment.skills", "hired": "assessment.hired", "contract": "assessment.contract", "months": "assessment.months"},
	"mentor-proposal": {
		"reason":        "mentor.decline.reason",
		"availableFrom": "mentor.decline.date",
		"details":       "mentor.decline.details",
	},
	"mentor-mentorship": {
		"date":    "mentor.meeting.date",
		"minutes": "mentor.meeting.length",
		"note":    "mentor.meeting.note",
	},
	"profile": {
		"firstName":                                "field.firstName",
		"lastName":                                 "field.lastName",
		"birthDate":                                "field.birthDate",
		"protection":                               "field.protection",
		"languages":                                "field.languages",
		"interests":                                "field.interests",
		"enrolment.programme":                      "field.enrolment.programme",
		"enrolment.cohort":                         "field.enrolment.cohort",
		"enrolment.entryDate":                      "field.enrolment.entryDate",
		"consentDate":                              "field.consentDate",
		"enrolment.referents":                      "field.referents",
		"enrolment.rightsReferent":                 "field.enrolment.rightsReferent",
		"enrolment.employmentReferent":             "field.enrolment.employmentReferent",
		"enrolment.contractSignedOn":               "field.enrolment.contractSignedOn",
		"address.line":                             "field.address.line",
		"address.postcode":                         "field.address.postcode",
		"address.city":                             "field.address.city",
		"department":                               "field.department",
		"french.oralComprehension":                 "field.french.oralComprehension",
		"french.oralProduction":                    "field.french.oralProduction",
		"french.writtenComprehension":              "field.french.writtenComprehension",
		"french.writtenProduction":                 "field.french.writtenProduction",
		"french.source":                            "field.french.source",
		"french.assessedOn":                        "field.french.assessedOn",
		"diplomas.N.title":                         "field.diploma.title",
		"diplomas.N.level":                         "field.diploma.level",
		"diplomas.N.country":                       "field.diploma.country",
		"diplomas.N.recognition":                   "field.diploma.recognition",
		"project.targetRome":                       "field.project.targetRome",
		"project.description":                      "field.project.description",
		"skillsText":                               "field.skills",
		"pastJobs.N.title":                         "field.job.title",
		"pastJobs.N.rome":                          "field.job.rome",
		"pastJobs.N.country":                       "field.job.country",
		"pastJobs.N.years":                         "field.job.years",
		"availability.from":                        "field.availability.from",
		"availability.hoursPerWeek":                "field.availability.hoursPerWeek",
		"mobility.maxKm":                           "field.mobility.maxKm.km",
		"availability.days":                        "field.availability.days",
		"availability.constraints":                 "field.availability.constraints",
		"mobility.drivingLicence.status":           "field.mobility.drivingLicence.status",
		"mobility.drivingLicence.categories":       "field.mobility.drivingLicence.categories",
		"mobility.drivingLicence.exchangeExpected": "field.mobility.drivingLicence.exchangeExpected",
		"mobility.vehicle":                         "field.mobility.vehicle",
		"mobility.publicTransport":                 "field.mobility.publicTransport",
		"barriers":                                 "field.barriers",
		"notes":                                    "field.notes",
	},
	"opportunity-form": {
		"title":                               "opportunity.field.title",
		"employer":                            "opportunity.field.employer",
		"rome":                                "opportunity.field.rome",
		"positions":                           "opportunity.field.positions",
		"status":                              "opportunities.status",
		"description":                         "opportunity.description",
		"contract.type":                       "opportunity.field.contract",
		"contract.months":                     "field.situation.durationMonths",
		"pmsmp.siret":                         "opportunity.siret",
		"pmsmp.objective":                     "opportunity.objective",
		"pmsmp.tutor":                         "opportunity.tutor",
		"place.department":                    "field.department",
		"place.postcode":                      "field.address.postcode",
		"place.city":                          "field.address.city",
		"startDate":                           "field.situation.startDate",
		"endDate":                             "field.situation.endDate",
		"hoursPerWeek":                        "field.availability.hoursPerWeek",
		"days":                                "field.availability.days",
		"frenchRequired.oralComprehension":    "field.french.oralComprehension",
		"frenchRequired.oralProduction":       "field.french.oralProduction",
		"frenchRequired.writtenComprehension": "field.french.writtenComprehension",
		"frenchRequired.writtenProduction":    "field.french.writtenProduction",
		"licencesRequired":                    "opportunity.licences",
		"skills":                              "field.skills",
	},
	"batches": {
		"kind":             "opportunities.kind",
		"scope.department": "field.department",
		"minScore":         "batches.minscore",
		"scope.programme":  "beneficiaries.programme",
	},
	"login": {
		"email": "login.email",
	},
	"situation": {
		"kind":           "field.situation.kind",
		"startDate":      "field.situation.startDate",
		"endDate":        "field.situation.endDate",
		"durationMonths": "field.situation.durationMonths",
		"exitReason":     "field.situation.exitReason",
		"tenure":         "field.situation.tenure",
		"employer":       "field.situation.employer",
		"note":           "field.situation.note",
		"reason":         "situation.change.reason",
	},
	"file": {
		"kind":           "field.situation.kind",
		"startDate":      "field.situation.startDate",
		"endDate":        "field.situation.endDate",
		"durationMonths": "field.situation.durationMonths",
		"exitReason":     "field.situation.exitReason",
		"tenure":         "field.situation.tenure",
		"employer":       "field.situation.employer",
		"note":           "field.situation.note",
	},
}

// Label is the label of a field of the page's form. A field the page's
// labels lack is an error, so that a page cannot render a field its error
// summary would not name.
func (v *view) Label(name string) (string, error) {
	k := formLabels[v.page].key(name)
	if k == "" {
		return "", fmt.Errorf("the form of page %q has no label for %q: add it to formLabels", v.page, name)
	}
	return v.T(k), nil
}

// ErrorItem is a line of the error summary: the field's label and its
// error, or the error alone for a field the page does not label.
func (v *view) ErrorItem(name string) string {
	msg := v.Form.Error(name)
	k := formLabels[v.page].key(name)
	if k == "" {
		return msg
	}
	return v.T("form.errors.item", "Label", v.T(k), "Message", lowerFirst(msg))
}

// lowerFirst lowers the first letter of a sentence that follows a colon,
// unless it starts an acronym ("ROME", "CDD").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}
