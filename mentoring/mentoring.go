// Package mentoring holds co-training: mentors (employees of partner companies
// who volunteer), the proposals that pair them with beneficiaries, and the
// six-month mentorships that follow, with their check-ins.
package mentoring
