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
// Unavailable) that no .FR(...) follows in its chain, and each field error
// with an English Detail and no DetailFR (unless it is worded in the
// caller's language already): such a sentence would reach a French
// page in English.
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
				missing = append(missing, fset.Position(call.Pos()).String()+": an error for people without its French (.FR)")
			}
			if lit, ok := n.(*ast.CompositeLit); ok && isFieldError(lit, stack) && detailWithoutFrench(lit) {
				missing = append(missing, fset.Position(lit.Pos()).String()+": a field error with a Detail and no DetailFR")
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
		t.Error(m)
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

// isFieldError reports whether lit is an apperr.FieldError, written out or
// as an element of a []apperr.FieldError literal.
func isFieldError(lit *ast.CompositeLit, stack []ast.Node) bool {
	if isApperr(lit.Type, "FieldError") {
		return true
	}
	if lit.Type != nil || len(stack) == 0 {
		return false
	}
	parent, ok := stack[len(stack)-1].(*ast.CompositeLit)
	if !ok {
		return false
	}
	arr, ok := parent.Type.(*ast.ArrayType)
	return ok && isApperr(arr.Elt, "FieldError")
}

func isApperr(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "apperr" && sel.Sel.Name == name
}

// detailWithoutFrench reports whether lit sets Detail but not DetailFR,
// leaving out details worded already in the caller's language (by the
// validator's Translate, an error's In, or the API's pick).
func detailWithoutFrench(lit *ast.CompositeLit) bool {
	var detail ast.Expr
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch key, _ := kv.Key.(*ast.Ident); {
		case key == nil:
		case key.Name == "DetailFR":
			return false
		case key.Name == "Detail":
			detail = kv.Value
		}
	}
	if detail == nil {
		return false
	}
	translated := false
	ast.Inspect(detail, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch f := call.Fun.(type) {
			case *ast.SelectorExpr:
				translated = f.Sel.Name == "Translate" || f.Sel.Name == "In"
			case *ast.Ident:
				translated = f.Name == "pick"
			}
		}
		return !translated
	})
	return !translated
}
