package matching_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    matching.Level
		wantErr bool
	}{
		{"below-a1", matching.BelowA1, false},
		{"Below A1", matching.BelowA1, false},
		{"a1", matching.A1, false},
		{"A2", matching.A2, false},
		{" b1 ", matching.B1, false},
		{"B2", matching.B2, false},
		{"c1", matching.C1, false},
		{"C2", matching.C2, false},
		{"", matching.LevelNone, false},
		{"b3", matching.LevelNone, true},
		{"intermediate", matching.LevelNone, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := matching.ParseLevel(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseLevel(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseLevel(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLevelsAreOrdered(t *testing.T) {
	order := []matching.Level{matching.LevelNone, matching.BelowA1, matching.A1, matching.A2, matching.B1, matching.B2, matching.C1, matching.C2}
	for i := 1; i < len(order); i++ {
		if !(order[i-1] < order[i]) {
			t.Errorf("%v is not below %v", order[i-1], order[i])
		}
	}
}

func TestFrenchJSONRoundTrip(t *testing.T) {
	f := matching.French{matching.OralProduction: matching.B1, matching.WrittenComprehension: matching.A1}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"oralProduction":"b1","writtenComprehension":"a1"}`, string(b)); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
	var back matching.French
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != f {
		t.Errorf("round trip = %v, want %v", back, f)
	}
	if err := json.Unmarshal([]byte(`{"reading":"a1"}`), &back); err == nil {
		t.Error("unknown skill accepted")
	}
	if err := json.Unmarshal([]byte(`{"oralProduction":"z9"}`), &back); err == nil {
		t.Error("unknown level accepted")
	}
}

func TestSkillNames(t *testing.T) {
	var got []string
	for _, k := range matching.LanguageSkills {
		got = append(got, k.String())
	}
	want := []string{"oralComprehension", "writtenComprehension", "oralProduction", "writtenProduction"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("skill names (-want +got):\n%s", diff)
	}
}

func TestNormalizeLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Soudure TIG", "soudure tig"},
		{"  Lecture   de plans ", "lecture de plans"},
		{"Électricité-bâtiment", "electricite batiment"},
		{"Gros œuvre", "gros oeuvre"},
		{"CACES R489/3", "caces r489 3"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := matching.NormalizeLabel(tt.in); got != tt.want {
			t.Errorf("NormalizeLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
