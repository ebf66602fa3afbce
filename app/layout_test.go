package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/parcours-emploi/parcours"

// listed is what go list says of one package.
type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// packages lists the module's packages (tests left out) with go list.
func packages(t *testing.T) map[string]listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]listed{}
	dec := json.NewDecoder(&out)
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")] = p
	}
	return pkgs
}

// frameworks are what only adapters may use.
var frameworks = []string{"github.com/gofiber/", "github.com/hibiken/asynq", "go.mongodb.org/mongo-driver", "github.com/FerretDB/",
	"github.com/alicebob/miniredis", "github.com/redis/go-redis", "github.com/go-playground/validator",
	"github.com/wneessen/go-mail", "github.com/emersion/go-smtp", "github.com/nicksnyder/go-i18n", "github.com/go-pdf/fpdf"}

func isFramework(path string) bool {
	for _, f := range frameworks {
		if strings.HasPrefix(path, f) {
			return true
		}
	}
	return false
}

func isModule(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

// The tree tells the architecture: root packages hold the domain and its
// use cases and depend on no adapter or framework; internal/ holds adapters
// only, each importing what it adapts; the engine is pure.
func TestLayout(t *testing.T) {
	pkgs := packages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for name, p := range pkgs {
		top, _, _ := strings.Cut(name, "/")
		switch {
		case top == "cmd":
			// Wiring: it may import everything.
		case top == "internal":
			adapts := false
			for _, imp := range p.Imports {
				adapts = adapts || isFramework(imp) || strings.HasPrefix(imp, module+"/internal/devstack")
			}
			if !adapts {
				t.Errorf("%s is in internal/ but adapts nothing: it imports no framework or driver", name)
			}
		default:
			for _, dep := range p.Deps {
				if strings.HasPrefix(dep, module+"/internal/") {
					t.Errorf("root package %s depends on the adapter %s", name, dep)
				}
				if isFramework(dep) {
					t.Errorf("root package %s depends on the framework %s", name, dep)
				}
			}
		}
	}

	// matching imports the standard library, and leaf packages of the
	// module that import nothing of it.
	for _, imp := range pkgs["matching"].Imports {
		if !isModule(imp) {
			if strings.Contains(strings.Split(imp, "/")[0], ".") {
				t.Errorf("matching imports %s, outside the standard library", imp)
			}
			continue
		}
		leaf := pkgs[strings.TrimPrefix(imp, module+"/")]
		for _, dep := range leaf.Imports {
			if isModule(dep) {
				t.Errorf("matching imports %s, which is not a leaf: it imports %s", imp, dep)
			}
		}
	}

	// The HTTP adapter decodes, calls a service and encodes: it runs no
	// engine and mints no id.
	for _, imp := range pkgs["internal/httpapi"].Imports {
		if imp == module+"/matching" || imp == module+"/ids" {
			t.Errorf("internal/httpapi imports %s", imp)
		}
	}
}
