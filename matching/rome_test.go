package matching_test

import (
	"compress/gzip"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

// readSource reads one of the built-in ROME files as France Travail
// published it (gzipped, unchanged): its rows, header first.
func readSource(t *testing.T, name string) [][]string {
	t.Helper()
	f := openFile(t, "rome/v460/"+name)
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBuiltinROMEIsTheWholeReferential reads the published files and finds
// every code with its label and domain, every mobility link and every
// appellation in the built-in taxonomy, and checks a sample of facts read
// from France Travail's ROME 4.0 (version 60) by hand.
func TestBuiltinROMEIsTheWholeReferential(t *testing.T) {
	tax := matching.DefaultTaxonomy()
	if tax.Version() != matching.BuiltinVersion {
		t.Errorf("Version() = %q, want %q", tax.Version(), matching.BuiltinVersion)
	}
	codes := readSource(t, "unix_referentiel_code_rome_v460_utf8.csv.gz")
	if h := codes[0]; h[0] != "code_rome" || h[3] != "libelle_rome" {
		t.Fatalf("codes header = %v", h)
	}
	for _, r := range codes[1:] {
		if got := tax.Label(r[0]); got != r[3] {
			t.Errorf("Label(%s) = %q, want %q", r[0], got, r[3])
		}
		if tax.Label(matching.CodeDomain(r[0])) == "" {
			t.Errorf("the domain of %s has no label", r[0])
		}
	}
	if got, want := len(tax.Codes()), len(codes)-1; got != want || want != 1584 {
		t.Errorf("%d codes, the file has %d (ROME 4.0 v60 has 1,584)", got, want)
	}
	links := readSource(t, "unix_rubrique_mobilite_v460_utf8.csv.gz")
	for _, r := range links[1:] {
		if _, ok := tax.Link(r[0], r[1]); !ok {
			t.Errorf("no mobility %s -> %s", r[0], r[1])
		}
	}
	apps := readSource(t, "unix_referentiel_appellation_v460_utf8.csv.gz")
	byCode := map[string]int{}
	for _, r := range apps[1:] {
		byCode[r[3]]++
	}
	for code, n := range byCode {
		if got := len(tax.Appellations(code)); got != n {
			t.Errorf("%s has %d appellations, the file %d", code, got, n)
		}
	}
	if len(apps)-1 != 13120 {
		t.Errorf("%d appellations in the file, want 13,120", len(apps)-1)
	}

	// Facts read in the published referential.
	want := map[string]string{
		"A":     "Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux",
		"N44":   "Personnel sédentaire du transport ferroviaire et réseau filo guidé",
		"H29":   "Mécanique, travail des métaux et outillage",
		"A1101": "Conducteur / Conductrice d'engins agricoles",
		"G1605": "Plongeur officier / Plongeuse officière de cuisine",
		"H2913": "Soudeur / Soudeuse",
		"K2204": "Agent / Agente de nettoyage industriel",
		"M1855": "Développeur / Développeuse web",
		"N1103": "Préparateur / Préparatrice de commandes",
		"N4403": "Opérateur / Opératrice ferroviaire",
	}
	for code, label := range want {
		if got := tax.Label(code); got != label {
			t.Errorf("Label(%s) = %q, want %q", code, got, label)
		}
	}
	for _, l := range [][2]string{{"A1101", "A1102"}, {"D1507", "N1113"}, {"G1602", "G1603"}, {"H2914", "H2913"}, {"K1304", "J1501"}} {
		if _, ok := tax.Link(l[0], l[1]); !ok {
			t.Errorf("no mobility %s -> %s", l[0], l[1])
		}
	}
	if _, ok := tax.Link("H2909", "H2914"); ok {
		t.Error("H2909 -> H2914 is not a published mobility")
	}
	titles := tax.Appellations("G1602")
	if len(titles) == 0 || !titles[0].Main {
		t.Fatalf("G1602's titles = %v, want its principal title first", titles)
	}
	var aide bool
	for _, a := range titles {
		aide = aide || (a.Label == "Aide de cuisine" && a.OGR == "10826")
	}
	if !aide {
		t.Errorf("G1602 lacks the title Aide de cuisine (10826): %v", titles)
	}
}

func TestSearchFindsTradesByTitle(t *testing.T) {
	tax := matching.DefaultTaxonomy()
	codes := func(ts []matching.Trade) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.Code)
		}
		return out
	}
	if got := tax.Search("g1605", 5); len(got) != 1 || got[0].Code != "G1605" || got[0].Title != "" {
		t.Errorf(`Search("g1605") = %v, want G1605 alone`, got)
	}
	if got := tax.Search("Z9999", 5); len(got) != 0 {
		t.Errorf(`Search("Z9999") = %v, want nothing`, got)
	}
	web := tax.Search("developpeur web", 5)
	if len(web) == 0 || web[0].Code != "M1855" || web[0].Title != "" {
		t.Errorf(`Search("developpeur web") = %v, want M1855 first by its own label`, web)
	}
	aide := tax.Search("AIDE de cuis", 20)
	if !slices.Contains(codes(aide), "G1602") {
		t.Errorf(`Search("AIDE de cuis") = %v, want G1602 through its title Aide de cuisine`, aide)
	}
	for _, x := range aide {
		if x.Code == "G1602" && x.Title != "Aide de cuisine" {
			t.Errorf("G1602 matched through %q, want the shortest title Aide de cuisine", x.Title)
		}
	}
	if got := tax.Search("soud", 3); len(got) != 3 {
		t.Errorf(`Search("soud", 3) = %v, want 3 codes`, got)
	}
	if got := tax.Search("  ", 3); len(got) != 0 {
		t.Errorf("a blank search found %v", got)
	}
}

func TestProximity(t *testing.T) {
	tax := matching.DefaultTaxonomy()
	tests := []struct {
		name     string
		from, to string
		want     matching.Proximity
	}{
		{"same code", "H2913", "H2913", matching.ProximitySame},
		{"close mobility", "G1602", "G1603", matching.ProximityMobility},
		{"mobility links are directed: none back from H2909 to H2914", "H2909", "H2914", matching.ProximityDomain},
		{"same domain without link", "F1606", "F1602", matching.ProximityDomain},
		{"same family only", "H2913", "H2102", matching.ProximityFamily},
		{"mobility across families", "D1507", "N1113", matching.ProximityMobility},
		{"unrelated families", "H2913", "G1602", matching.ProximityNone},
		{"malformed code", "H29", "H2913", matching.ProximityNone},
		{"lower case accepted", "h2913", "H2913", matching.ProximitySame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tax.Proximity(tt.from, tt.to); got != tt.want {
				t.Errorf("Proximity(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func openFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestLoadROMEReadsOpenDataFiles(t *testing.T) {
	tax, err := matching.LoadROME(openFile(t, "testdata/rome/referentiel_code_rome.csv"), openFile(t, "testdata/rome/rubrique_mobilite.tsv"))
	if err != nil {
		t.Fatalf("LoadROME: %v", err)
	}
	if diff := cmp.Diff([]string{"G1602", "G1603", "H2913", "H2914"}, tax.Codes()); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if got, want := tax.Label("H2914"), "Réalisation et montage en tuyauterie"; got != want {
		t.Errorf("label of H2914 = %q, want %q", got, want)
	}
	if got := tax.Label("H"); got != "Industrie" {
		t.Errorf("family H keeps its built-in label, got %q", got)
	}
	type link struct {
		Kind matching.LinkKind
		OK   bool
	}
	got := map[string]link{}
	for _, p := range [][2]string{{"H2913", "H2914"}, {"G1602", "G1603"}, {"G1603", "G1602"}, {"H2914", "H2913"}} {
		k, ok := tax.Link(p[0], p[1])
		got[p[0]+">"+p[1]] = link{k, ok}
	}
	want := map[string]link{
		"H2913>H2914": {matching.LinkClose, true}, // close wins over the evolution row
		"G1602>G1603": {matching.LinkClose, true},
		"G1603>G1602": {matching.LinkEvolution, true},
		"H2914>H2913": {"", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func TestLoadROMEIsTolerant(t *testing.T) {
	tests := []struct {
		name      string
		codes     string
		mobility  string
		wantCodes []string
		wantLabel map[string]string
		wantLinks [][2]string
		wantErr   string
	}{
		{
			name:      "comma-separated arborescence with family and domain rows",
			codes:     "testdata/rome/arborescence.csv",
			wantCodes: []string{"H2913", "K2204"},
			wantLabel: map[string]string{"H": "Industrie (libellé du fichier)", "H29": "Mécanique, travail des métaux et outillage", "K22": "Nettoyage et propreté industriels"},
		},
		{
			name:      "mobility file without a header",
			codes:     "testdata/rome/arborescence.csv",
			mobility:  "testdata/rome/no_header_mobility.csv",
			wantCodes: []string{"H2913", "K2204"},
			wantLinks: [][2]string{{"H2909", "H2913"}, {"H2913", "H2909"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mob *os.File
			if tt.mobility != "" {
				mob = openFile(t, tt.mobility)
			}
			var tax *matching.Taxonomy
			var err error
			if mob != nil {
				tax, err = matching.LoadROME(openFile(t, tt.codes), mob)
			} else {
				tax, err = matching.LoadROME(openFile(t, tt.codes), nil)
			}
			if err != nil {
				t.Fatalf("LoadROME: %v", err)
			}
			if diff := cmp.Diff(tt.wantCodes, tax.Codes()); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			for code, want := range tt.wantLabel {
				if got := tax.Label(code); got != want {
					t.Errorf("label of %s = %q, want %q", code, got, want)
				}
			}
			for _, l := range tt.wantLinks {
				if _, ok := tax.Link(l[0], l[1]); !ok {
					t.Errorf("no link %s -> %s", l[0], l[1])
				}
			}
		})
	}
}

func TestLoadROMERejectsFilesWithoutCodes(t *testing.T) {
	_, err := matching.LoadROME(strings.NewReader("code;libelle\nXX;rien\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "no valid ROME code") {
		t.Errorf("LoadROME error = %v, want one saying no valid ROME code", err)
	}
}

// go test ./matching -run '^$' -bench 'Search|BuiltinROME' -benchmem
func BenchmarkSearch(b *testing.B) {
	tax := matching.DefaultTaxonomy()
	for b.Loop() {
		tax.Search("aide de cuis", 12)
	}
}
