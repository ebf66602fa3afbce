// Package candidates reads what matching needs from the stored records and
// converts it into the engine's inputs: a beneficiary into a seeker (with
// the pairs declined lately and the PMSMP conventions entered), an
// opportunity or a mentor into an opening (with the places proposals hold
// already taken off). Only what matching may use crosses over: no name,
// birth date, protection status, address line or note ever reaches the
// engine. Suggestions, proposals and batches all load through Loader, so
// visibility, the cooldown and the places held are decided in one place.
package candidates
