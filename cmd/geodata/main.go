// Command geodata builds geo/communes.csv.gz, the built-in list of French
// communes with their postcodes and the coordinates of their centre, from
// two open files (geo/SOURCE.md says which versions and licences):
//
//   - communes.json of the npm package @etalab/decoupage-administratif (the
//     INSEE Code officiel géographique: codes, names, départements,
//     postcodes, population);
//
//   - La Poste's Base officielle des codes postaux (laposte_hexasmal.csv),
//     whose latitude and longitude columns give each commune's centre.
//
//     go run ./cmd/geodata -cog communes.json -laposte laposte_hexasmal.csv -o geo/communes.csv.gz
package main

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-emploi/parcours/geo"
)

type cogCommune struct {
	Code       string   `json:"code"`
	Name       string   `json:"nom"`
	Type       string   `json:"type"`
	Department string   `json:"departement"`
	Commune    string   `json:"commune"`
	ChefLieu   string   `json:"chefLieu"`
	Postcodes  []string `json:"codesPostaux"`
	Population int      `json:"population"`
}

type point struct{ lat, lon float64 }

func main() {
	cogPath := flag.String("cog", "", "communes.json of @etalab/decoupage-administratif")
	lpPath := flag.String("laposte", "", "La Poste's laposte_hexasmal.csv with latitude and longitude")
	out := flag.String("o", "geo/communes.csv.gz", "the file to write")
	flag.Parse()
	if *cogPath == "" || *lpPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	var cog []cogCommune
	b, err := os.ReadFile(*cogPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, &cog); err != nil {
		log.Fatal(err)
	}
	byCode, byName, err := readLaPoste(*lpPath)
	if err != nil {
		log.Fatal(err)
	}
	// Communes absent from La Poste's file (created since) take the centre
	// of the former commune that is their chef-lieu, or of one of their
	// former communes; Paris, Lyon and Marseille the mean of their
	// arrondissements; the others, a commune of that name in their
	// département.
	formers := map[string][]string{}
	arrs := map[string][]point{}
	for _, c := range cog {
		switch c.Type {
		case "commune-deleguee", "commune-associee":
			formers[c.ChefLieu] = append(formers[c.ChefLieu], c.Code)
		case "arrondissement-municipal":
			if p, ok := byCode[c.Code]; ok {
				arrs[c.Commune] = append(arrs[c.Commune], p)
			}
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := csv.NewWriter(zw)
	w.Write([]string{"code", "nom", "departement", "codes_postaux", "population", "latitude", "longitude", "commune"})
	var n, missing int
	for _, c := range cog {
		if c.Type != "commune-actuelle" && c.Type != "arrondissement-municipal" {
			continue
		}
		p, ok := byCode[c.Code]
		if !ok {
			ids := formers[c.Code]
			slices.SortFunc(ids, func(a, b string) int {
				if (a == c.Code) != (b == c.Code) {
					if a == c.Code {
						return -1
					}
					return 1
				}
				return strings.Compare(a, b)
			})
			for _, id := range ids {
				if p, ok = byCode[id]; ok {
					break
				}
			}
		}
		if !ok && len(arrs[c.Code]) > 0 {
			for _, a := range arrs[c.Code] {
				p.lat += a.lat / float64(len(arrs[c.Code]))
				p.lon += a.lon / float64(len(arrs[c.Code]))
			}
			ok = true
		}
		if !ok {
			p, ok = byName[c.Department+"|"+geo.Fold(c.Name)]
		}
		lat, lon := "", ""
		if ok {
			lat, lon = strconv.FormatFloat(p.lat, 'f', 5, 64), strconv.FormatFloat(p.lon, 'f', 5, 64)
		} else {
			missing++
			fmt.Fprintf(os.Stderr, "no centre for %s %s\n", c.Code, c.Name)
		}
		w.Write([]string{c.Code, c.Name, c.Department, strings.Join(c.Postcodes, " "), strconv.Itoa(c.Population), lat, lon, c.Commune})
		n++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d communes and arrondissements, %d without a centre\n", n, missing)
}

// readLaPoste reads each commune's centre by INSEE code, and by
// département and folded name for the communes renamed since.
func readLaPoste(path string) (map[string]point, map[string]point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	col := func(name string) int {
		for i, h := range header {
			if strings.EqualFold(strings.TrimPrefix(h, "\ufeff"), name) {
				return i
			}
		}
		log.Fatalf("%s: no column %s in %v", path, name, header)
		return -1
	}
	code, name, lat, lon := col("Code_commune_INSEE"), col("Nom_commune"), col("latitude"), col("longitude")
	byCode, byName := map[string]point{}, map[string]point{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		la, err1 := strconv.ParseFloat(rec[lat], 64)
		lo, err2 := strconv.ParseFloat(rec[lon], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		p := point{la, lo}
		if _, seen := byCode[rec[code]]; !seen {
			byCode[rec[code]] = p
		}
		dep := rec[code][:2]
		if strings.HasPrefix(rec[code], "97") {
			dep = rec[code][:3]
		}
		byName[dep+"|"+geo.Fold(rec[name])] = p
	}
	return byCode, byName, nil
}
