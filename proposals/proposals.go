// Package proposals holds the proposal of a pair, beneficiary and opening
// (a job offer, a PMSMP placement, a training session or a mentor), for
// every kind: its lifecycle, proposed → approved (an adviser: human
// oversight) → sent → accepted | declined | expired, and withdrawn by staff
// from any open state, each transition kept with who and when; the seekers
// and places open or accepted proposals hold; and the use cases Propose
// (the engine evaluates the pair again, a declined pair waits for the
// cooldown), Approve, Send, Withdraw and Answer. Accepting a PMSMP
// placement records its convention crash-safely, holding the PMSMP rules
// against concurrent acceptances. A mentor's own answers go through
// mentoring, which holds the mentor's capacity.
package proposals
