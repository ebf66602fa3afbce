package matching_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
)

func TestDefaultTaxonomyHasFamiliesDomainsAndCommonCodes(t *testing.T) {
	tax := matching.DefaultTaxonomy()
	for f := 'A'; f <= 'N'; f++ {
		if tax.Label(string(f)) == "" {
			t.Errorf("family %c has no label", f)
		}
	}
	want := map[string]string{
		"H2913": "Soudage manuel",
		"G1602": "Personnel de cuisine",
		"G1603": "Personnel polyvalent en restauration",
		"N1103": "Magasinage et préparation de commandes",
		"N1101": "Conduite d'engins de déplacement des charges",
		"A1414": "Horticulture et maraîchage",
		"A1203": "Aménagement et entretien des espaces verts",
		"K1304": "Services domestiques",
		"K2204": "Nettoyage de locaux",
		"F1703": "Maçonnerie",
		"F1701": "Construction en béton",
		"F1602": "Électricité bâtiment",
		"F1603": "Installation d'équipements sanitaires et thermiques",
		"I1604": "Mécanique automobile et entretien de véhicules",
		"H2102": "Conduite d'équipement de production alimentaire",
		"D1507": "Mise en rayon libre-service",
		"D1106": "Vente en alimentation",
		"J1501": "Soins d'hygiène, de confort du patient",
		"K1302": "Assistance auprès d'adultes",
		"N4101": "Conduite de transport de marchandises sur longue distance",
		"N4105": "Conduite et livraison par tournées sur courte distance",
		"M1607": "Secrétariat",
		"M1805": "Études et développement informatique",
		"E1101": "Animation de site multimédia",
		"H29":   "Mécanique, travail des métaux et outillage",
	}
	got := map[string]string{}
	for code := range want {
		got[code] = tax.Label(code)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	// Every code's domain is labelled.
	for _, c := range tax.Codes() {
		if tax.Label(matching.CodeDomain(c)) == "" {
			t.Errorf("domain of %s has no label", c)
		}
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
		{"mobility across families", "D1507", "N1103", matching.ProximityMobility},
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
