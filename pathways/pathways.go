// Package pathways holds the people Parcours follows: beneficiaries (refugees
// and their families), their programme enrolment and profile (per-skill French
// level, diplomas, skills, project, availability, mobility), and, built on
// them, situations, positive-exit rule sets and T+6/T+12 measurements.
//
// It is plain Go: the store and the HTTP layer are adapters in internal/.
package pathways
