package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/parcours-emploi/parcours/demo"
	"github.com/parcours-emploi/parcours/internal/web"
)

// demoKeys is the file dev writes beside the data: the demo's API keys, and
// one-click console logins (dev only) for the main personas.
type demoKeys struct {
	Console string            `json:"console"`
	Keys    map[string]string `json:"keys"`
	Logins  map[string]string `json:"logins"`
	// Users and Secrets name the persona logins' users and secrets.
	Users   map[string]string `json:"users"`
	Secrets map[string]string `json:"secrets"`
}

// loginPersonas are the personas with a one-click login.
var loginPersonas = []string{"coordinator", "adviser", "mentor", "other_adviser", "agency"}

// seedDemo fills an empty database with the demo world (package demo) and
// writes <data dir>/demo-keys.json; on later starts it reads that file
// again. It prints the console's address and the persona logins, and
// returns the dev tools the console serves.
func seedDemo(ctx context.Context, bg *background, st *stores, cfg config, stdout io.Writer, log *slog.Logger) (*web.Dev, error) {
	file := filepath.Join(cfg.DataDir, "demo-keys.json")
	present, err := demo.Present(ctx, st.DB)
	if err != nil {
		return nil, err
	}
	var keys demoKeys
	if present {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("the demo is seeded but %s is unreadable (remove the data dir to start again): %w", file, err)
		}
		if err := json.Unmarshal(b, &keys); err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		log.Info("demo data already present", "keys", file)
	} else {
		w, err := demo.Seed(ctx, bg.svc, st.DB, time.Now())
		if err != nil {
			return nil, err
		}
		keys = demoKeys{Keys: map[string]string{}, Logins: map[string]string{}, Users: map[string]string{}, Secrets: map[string]string{}}
		for name, p := range w.Personas {
			if name != "adviser2" {
				keys.Keys[name] = p.APIKey
			}
		}
		for _, name := range loginPersonas {
			keys.Users[name] = w.Personas[name].User.ID
			keys.Secrets[name] = personaSecret()
		}
		log.Info("demo data seeded", "beneficiaries", len(w.Beneficiaries), "batch", w.Batch.ID, "keys", file)
	}
	// The console's address may change from one start to the next (another port).
	keys.Console = cfg.PublicURL
	for name, secret := range keys.Secrets {
		keys.Logins[name] = cfg.PublicURL + "/dev/persona/" + name + "?secret=" + secret
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o600); err != nil {
		return nil, err
	}
	printDemo(stdout, keys, file)
	dev := &web.Dev{Mail: st.SMTP, Personas: map[string]web.Persona{}}
	for name, id := range keys.Users {
		dev.Personas[name] = web.Persona{UserID: id, Secret: keys.Secrets[name]}
	}
	return dev, nil
}

func personaSecret() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func printDemo(w io.Writer, k demoKeys, file string) {
	fmt.Fprintf(w, "\nParcours is running (dev mode, demo data). Open the console:\n\n    %s\n\n", k.Console)
	fmt.Fprintf(w, "Log in as a demo person in one click (dev only):\n")
	for _, name := range loginPersonas {
		fmt.Fprintf(w, "    %-14s %s\n", name, k.Logins[name])
	}
	fmt.Fprintf(w, "\nor ask for a magic link on the login page: the mail arrives at %s/dev/courriels.\n", k.Console)
	fmt.Fprintf(w, "\nDemo API keys (kept in %s, dev only):\n", file)
	names := make([]string, 0, len(k.Keys))
	for name := range k.Keys {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "    %-14s %s\n", name, k.Keys[name])
	}
	fmt.Fprintln(w)
}
