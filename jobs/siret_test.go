package jobs_test

import (
	"testing"

	"github.com/parcours-emploi/parcours/jobs"
)

func TestNormaliseSIRET(t *testing.T) {
	for in, want := range map[string]string{
		"73282932000074":       "73282932000074",
		"732 829 320 00074":    "73282932000074",
		"732.829.320-00074":    "73282932000074",
		"35600000000048":       "35600000000048", // La Poste's head office passes Luhn
		"35600000010000":       "35600000010000", // a La Poste office: Luhn fails, its digits add up to a multiple of 5
		"35600000010001":       "",               // neither
		"55208131766523":       "",               // another SIREN's broken checksum
		"73282932000075":       "",               // checksum broken
		"7328293200007":        "",               // 13 digits
		"732829320000741":      "",               // 15 digits
		"73282932000O74":       "",               // a letter O
		"siret-73282932000074": "",
		"":                     "",
	} {
		got, ok := jobs.NormaliseSIRET(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormaliseSIRET(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
