// Command pagespeed measures the console's main pages on a running
// Parcours with its demo: the time each page takes to arrive whole on
// loopback (p50 and p95 over n requests, one at a time, so it is the
// server's time plus a loopback round trip), and the bytes a first visit
// downloads compressed: the page, and the stylesheet and scripts it links.
//
//	go run ./cmd/pagespeed -keys data/demo-keys.json [-n 50] [-persona adviser] [-extra 0]
//
// -extra adds that many people to the adviser's organisation through the
// API first, to see how the pages grow with the store.
// scripts/page-speed.sh starts a fresh `parcours dev` and runs it.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() {
	keysFile := flag.String("keys", "data/demo-keys.json", "the demo-keys.json that parcours dev wrote")
	n := flag.Int("n", 50, "requests per page")
	persona := flag.String("persona", "adviser", "the persona to log in as")
	extra := flag.Int("extra", 0, "people to add through the API before measuring")
	flag.Parse()
	if err := run(*keysFile, *persona, *n, *extra, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pagespeed:", err)
		os.Exit(1)
	}
}

type demoKeys struct {
	Console string            `json:"console"`
	Logins  map[string]string `json:"logins"`
	Keys    map[string]string `json:"keys"`
	Users   map[string]string `json:"users"`
}

func run(keysFile, persona string, n, extra int, out io.Writer) error {
	b, err := os.ReadFile(keysFile)
	if err != nil {
		return err
	}
	var keys demoKeys
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	login, ok := keys.Logins[persona]
	if !ok {
		return fmt.Errorf("no login for %q in %s", persona, keysFile)
	}
	jar, _ := cookiejar.New(nil)
	// DisableCompression: the client asks for gzip itself and counts the
	// bytes as they travel.
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	if _, _, err := get(c, login); err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	base := strings.TrimSuffix(keys.Console, "/")
	if extra > 0 {
		t := time.Now()
		if err := addPeople(base, keys.Keys["adviser"], keys.Users["adviser"], extra); err != nil {
			return err
		}
		fmt.Fprintf(out, "%d people added through the API in %.1f s\n\n", extra, time.Since(t).Seconds())
	}

	if persona == "mentor" {
		_, home, err := get(c, base+"/mentor")
		if err != nil {
			return err
		}
		prop := regexp.MustCompile(`/mentor/propositions/pro_[A-Za-z0-9_-]+`).FindString(home)
		if prop == "" {
			return fmt.Errorf("no proposal on the mentor's home")
		}
		return measure(c, base, []string{"/mentor", prop}, n, out)
	}
	// Addresses of a file and a batch of the demo, read from the lists.
	_, list, err := get(c, base+"/beneficiaires?referent=tous")
	if err != nil {
		return err
	}
	ben := regexp.MustCompile(`/beneficiaires/ben_[A-Za-z0-9_-]+`).FindString(list)
	_, lots, err := get(c, base+"/lots")
	if err != nil {
		return err
	}
	lot := regexp.MustCompile(`/lots/bat_[A-Za-z0-9_-]+`).FindString(lots)
	if ben == "" || lot == "" {
		return fmt.Errorf("no file or batch found in the demo's lists")
	}
	pages := []string{"/accueil", "/beneficiaires", "/beneficiaires?referent=tous&q=ami", ben, ben + "?onglet=parcours",
		ben + "?onglet=suggestions&type=job", ben + "?onglet=suggestions&type=mentor", ben + "?onglet=pourquoi-pas&type=job",
		"/propositions", "/opportunites", "/lots", lot}
	if persona == "coordinator" {
		pages = []string{"/accueil", "/resultats", "/equipe", "/journal"}
	}
	return measure(c, base, pages, n, out)
}

// measure times each page n times and counts the bytes of a first visit.
func measure(c *http.Client, base string, pages []string, n int, out io.Writer) error {
	fmt.Fprintf(out, "| page | p50 ms | p95 ms | page gzip KB | first visit gzip KB (page + CSS + JS) |\n|---|---:|---:|---:|---:|\n")
	assets := map[string]int{}
	for _, p := range pages {
		var times []time.Duration
		var size int
		var body string
		for i := 0; i < n; i++ {
			t := time.Now()
			sz, b, err := get(c, base+p)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			times = append(times, time.Since(t))
			size, body = sz, b
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		total := size
		for _, a := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(body, -1) {
			if _, seen := assets[a[1]]; !seen {
				sz, _, err := get(c, base+a[1])
				if err != nil {
					return fmt.Errorf("%s: %w", a[1], err)
				}
				assets[a[1]] = sz
			}
			total += assets[a[1]]
		}
		fmt.Fprintf(out, "| `%s` | %.1f | %.1f | %.1f | %.1f |\n", shorten(p), ms(times[len(times)/2]), ms(times[(len(times)*95+99)/100-1]),
			float64(size)/1024, float64(total)/1024)
	}
	return nil
}

// get fetches url asking for gzip and returns the bytes that travelled and
// the body (gunzipped when needed, for reading links).
func get(c *http.Client, url string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", err
	}
	if res.StatusCode != http.StatusOK {
		return 0, "", fmt.Errorf("status %d", res.StatusCode)
	}
	body := raw
	if res.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gunzip(raw); err != nil {
			return 0, "", err
		}
	}
	return len(raw), string(body), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// shorten writes a file's address with its id elided.
func shorten(p string) string {
	return regexp.MustCompile(`(ben|bat|pro)_[A-Za-z0-9_-]+`).ReplaceAllString(p, "${1}_…")
}

// addPeople creates n beneficiaries through the API, followed by the
// adviser, with a spread of names, cohorts and French levels.
func addPeople(base, key, adviser string, n int) error {
	levels := []string{"a1", "a2", "b1", "b2"}
	for i := 0; i < n; i++ {
		body, _ := json.Marshal(map[string]any{
			"firstName": fmt.Sprintf("Personne%d", i), "lastName": fmt.Sprintf("Essai%d", i%97), "birthDate": "1990-01-15",
			"protection": "refugee", "department": "69", "consentDate": "2026-01-05",
			"enrolment": map[string]any{"programme": "AGIR", "entryDate": "2026-01-05", "cohort": fmt.Sprintf("charge-%d", i%4), "referents": []string{adviser}},
			"french":    map[string]any{"oralProduction": levels[i%4], "oralComprehension": levels[(i+1)%4]},
		})
		req, err := http.NewRequest(http.MethodPost, base+"/api/v1/beneficiaries", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("add a person: %d %s", res.StatusCode, msg)
		}
	}
	return nil
}
