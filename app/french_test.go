package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// shownCodes are the apperr constructors whose sentence reaches people (a
// problem's detail, a console page); internal and unavailable errors are
// answered with a fixed sentence instead, so they are left out.
var shownCodes = map[string]bool{"Invalidf": true, "NotFoundf": true, "Conflictf": true}

// TestEverySentenceForPeopleHasItsFrench reads every non-test Go file of the
// module and finds each error built for people (apperr.Invalidf, NotFoundf,
// Conflictf, and New or Wrap with a code other than Internal or
// Unavailable) that no .FR(...) follows in its chain: such a sentence would
// reach a French page in English.
func TestEverySentenceForPeopleHasItsFrench(t *testing.T) {
	root := filepath.Join("..")
	fset := token.NewFileSet()
	var missing []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if call, ok := n.(*ast.CallExpr); ok && forPeople(call) && !frenchFollows(stack, call) {
				missing = append(missing, fset.Position(call.Pos()).String())
			}
			stack = append(stack, n)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("%s: an error for people without its French (.FR)", m)
	}
}

// forPeople reports whether call builds an apperr error whose sentence is shown.
func forPeople(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "apperr" {
		return false
	}
	if shownCodes[sel.Sel.Name] {
		return true
	}
	if sel.Sel.Name != "New" && sel.Sel.Name != "Wrap" || len(call.Args) == 0 {
		return false
	}
	code, ok := call.Args[0].(*ast.SelectorExpr)
	return ok && code.Sel.Name != "Internal" && code.Sel.Name != "Unavailable"
}

// frenchFollows climbs the method chain call heads (call.M(...).N(...)) and
// reports whether one of its links is FR.
func frenchFollows(stack []ast.Node, call *ast.CallExpr) bool {
	var child ast.Node = call
	for i := len(stack) - 1; i >= 1; i -= 2 {
		sel, ok := stack[i].(*ast.SelectorExpr)
		if !ok || sel.X != child {
			return false
		}
		next, ok := stack[i-1].(*ast.CallExpr)
		if !ok || next.Fun != sel {
			return false
		}
		if sel.Sel.Name == "FR" {
			return true
		}
		child = next
	}
	return false
}
