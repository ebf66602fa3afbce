// Package mentoring holds co-training: mentors (employees of partner companies
// who volunteer), what a mentor sees of a mentee and how they answer the
// proposals sent to them, and the six-month mentorships that follow, with
// their check-ins. The proposal lifecycle itself is in proposals.
//
// Service holds the rules over plain stores:
//
//   - a beneficiary has at most proposals.MaxOpenMentorProposals open mentor
//     proposals, a mentor at most Capacity+SentMargin sent ones;
//   - accepting never exceeds a mentor's capacity: one conditional update
//     on the mentor takes a place, compensating steps undo it, no
//     transaction (see Service.Accept for the steps and crash points);
//   - the first acceptance wins for a beneficiary, the others are withdrawn;
//   - a declined pair is not proposed again within the cooldown;
//   - a mentorship is in alert when its pair met fewer than MinCheckIns times
//     in the last AlertWindow.
//
// Housekeeping for the background workers, all safe to run concurrently and
// again: Service.ExpireDue (sent proposals past their deadline),
// Service.Reminders (proposals about to expire, mentorships in alert),
// Service.Repair then Service.ReconcileAll (what a crash in an acceptance
// left behind).
package mentoring
