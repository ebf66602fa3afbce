package jobs

import "strings"

// NormaliseSIRET returns the 14 digits of a SIRET written with or without
// spaces, dots or dashes ("732 829 320 00074"), and whether it is one: 14
// digits whose Luhn checksum holds. La Poste's establishments (SIREN
// 356000000) are numbered otherwise: their digits add up to a multiple of 5.
func NormaliseSIRET(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '\u202f':
		default:
			return "", false
		}
	}
	d := b.String()
	if len(d) != 14 {
		return "", false
	}
	luhn, sum := 0, 0
	for i := range 14 {
		n := int(d[i] - '0')
		sum += n
		if i%2 == 0 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		luhn += n
	}
	if luhn%10 == 0 || (strings.HasPrefix(d, "356000000") && sum%5 == 0) {
		return d, true
	}
	return "", false
}

// SIRETIn finds the SIRET in a host written before hosts had one: the
// digits of "siret-73282932000074" or "SIRET 732 829 320 00074"; ok is
// false when there is none.
func SIRETIn(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) >= 5 && strings.EqualFold(t[:5], "siret") {
		t = strings.TrimLeft(t[5:], " :-_")
	}
	return NormaliseSIRET(t)
}
