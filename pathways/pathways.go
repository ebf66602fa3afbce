// Package pathways holds the people Parcours follows: beneficiaries (refugees
// and their families), their programme enrolment and profile (per-skill French
// level, diplomas, skills, project, availability, mobility), the audit of
// every read of their files, and, built on them, situations, positive-exit
// rule sets, T+6/T+12 measurements and the reports funders read. Service
// holds the use cases.
//
// It is plain Go: the store and the adapters are in internal/.
package pathways
