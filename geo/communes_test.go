package geo_test

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/parcours-emploi/parcours/geo"
)

// TestBuiltinCommunesAreTheWholeList checks the built-in list against
// facts of the Code officiel géographique 2026 and La Poste's base.
func TestBuiltinCommunesAreTheWholeList(t *testing.T) {
	c := geo.BuiltinCommunes()
	// 34,969 communes and the 45 arrondissements of Paris, Lyon and Marseille.
	if c.Len() != 35014 {
		t.Errorf("Len() = %d, want 35,014", c.Len())
	}
	var withCentre int
	for _, code := range []string{"01001", "26362", "2A004", "97411", "75056", "75101", "13055"} {
		m, ok := c.ByCode(code)
		if !ok {
			t.Errorf("no commune %s", code)
			continue
		}
		if m.Centre != nil {
			withCentre++
		}
	}
	if withCentre != 7 {
		t.Errorf("%d of 7 communes have a centre", withCentre)
	}
	tests := []struct {
		postcode, town string
		code, name     string
		lat, lon       float64
	}{
		{"26000", "", "26362", "Valence", 44.92298, 4.91444},
		{"26000", "VALENCE", "26362", "Valence", 44.92298, 4.91444},
		{"75001", "Paris", "75101", "Paris 1er Arrondissement", 48.86263, 2.33629},
		{"01400", "l'abergement clemenciat", "01001", "L'Abergement-Clémenciat", 46.15343, 4.92611},
	}
	for _, tt := range tests {
		m, ok := c.Locate(tt.postcode, tt.town)
		if !ok || m.Code != tt.code || m.Name != tt.name || m.Centre == nil ||
			math.Abs(m.Centre.Lat-tt.lat) > 1e-5 || math.Abs(m.Centre.Lon-tt.lon) > 1e-5 {
			t.Errorf("Locate(%q, %q) = %+v %v, want %s %s at %v,%v", tt.postcode, tt.town, m, ok, tt.code, tt.name, tt.lat, tt.lon)
		}
	}
	// A postcode shared by several communes: the town decides, else the
	// most populous.
	shared := c.ByPostcode("01400")
	if len(shared) < 2 {
		t.Fatalf("01400 serves %d communes, want several", len(shared))
	}
	for i := 1; i < len(shared); i++ {
		if shared[i].Population > shared[i-1].Population {
			t.Errorf("ByPostcode(01400) is not by population: %s (%d) after %s (%d)", shared[i].Name, shared[i].Population, shared[i-1].Name, shared[i-1].Population)
		}
	}
	if m, _ := c.Locate("01400", ""); m.Code != shared[0].Code {
		t.Errorf("Locate(01400) = %s, want the most populous %s", m.Code, shared[0].Code)
	}
	if _, ok := c.Locate("00000", ""); ok {
		t.Error("Locate found a commune for 00000")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Saint-Étienne":       "saint etienne",
		"ST ETIENNE":          "saint etienne",
		"L'Haÿ-les-Roses":     "l hay les roses",
		"  Œuilly ":           "oeuilly",
		"Sainte-Foy-lès-Lyon": "sainte foy les lyon",
		"STE FOY LES LYON":    "sainte foy les lyon",
	} {
		if got := geo.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// go test ./geo -bench . -benchmem
func BenchmarkReadCommunes(b *testing.B) {
	raw, err := os.ReadFile("communes.csv.gz")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := geo.ReadCommunes(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLocate(b *testing.B) {
	c := geo.BuiltinCommunes()
	for b.Loop() {
		c.Locate("01400", "Châtillon-sur-Chalaronne")
	}
}
