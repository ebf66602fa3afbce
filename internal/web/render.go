package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

//go:embed templates
var templateFS embed.FS

// pages are the parsed templates: each page file with the layout and the
// partials, parsed once at start-up.
type pages struct {
	byName map[string]*template.Template
}

func parsePages(funcs template.FuncMap) (*pages, error) {
	base := template.New("layout").Funcs(funcs)
	base, err := base.ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse the layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		p.byName[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return p, nil
}

// view is what every page's template reads: the page's own data in Data,
// and what the layout needs.
type view struct {
	c       *Console
	Lang    access.Lang
	User    *access.User
	CSRF    string
	Nonce   string
	Path    string
	Title   string
	Section string
	Dev     bool
	// Notice is a message shown at the top of the page (role=status).
	Notice string
	// Form holds the values and the errors of the page's form.
	Form *form
	Data any
	// page is the template's name, whose form's labels Label reads.
	page string
}

// T returns a message of the catalogue in the page's language.
func (v *view) T(id string, args ...any) string { return v.c.i18n.T(v.Lang, id, args...) }

// Asset is the address of a static file.
func (v *view) Asset(name string) string { return v.c.assets.URL(name) }

// page starts the view of a page of the request.
func (c *Console) page(ctx *fiber.Ctx, title, section string, data any) *view {
	v := &view{c: c, Lang: c.lang(ctx), CSRF: c.csrfToken(ctx), Nonce: fmt.Sprint(ctx.Locals(localNonce)),
		Path: ctx.Path(), Section: section, Dev: c.Dev != nil, Data: data}
	if u, ok := userOf(ctx); ok {
		v.User = &u
	}
	v.Title = v.T(title)
	if n := ctx.Query("note"); n != "" && c.i18n.Has(v.Lang, "notice."+n) {
		v.Notice = v.T("notice." + n)
	}
	return v
}

// render writes page name: the whole page, or for an htmx request that
// targets a fragment the page defines, that fragment alone.
func (c *Console) render(ctx *fiber.Ctx, status int, name string, v *view) error {
	t, ok := c.pages.byName[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	v.page = name
	block := "layout"
	if ctx.Get("HX-Request") == "true" {
		if target := ctx.Get("HX-Target"); target != "" && t.Lookup(target) != nil {
			block = target
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	ctx.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return ctx.Status(status).Send(buf.Bytes())
}

// HandleError answers an error of a console path with a page in the
// person's language: not found (another organisation's record, a route
// outside one's role), a forged form, a conflict, or our fault.
func (c *Console) HandleError(ctx *fiber.Ctx, err error) error {
	status, title, detail := fiber.StatusInternalServerError, "error.internal.title", "error.internal.detail"
	var fe *fiber.Error
	switch {
	case errors.Is(err, errCSRF):
		status, title, detail = fiber.StatusForbidden, "error.csrf.title", "error.csrf.detail"
	case errors.As(err, &fe):
		status = fe.Code
		switch fe.Code {
		case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
			status, title, detail = fiber.StatusNotFound, "error.notfound.title", "error.notfound.detail"
		case fiber.StatusRequestEntityTooLarge:
			title, detail = "error.toolarge.title", "error.toolarge.detail"
		case fiber.StatusTooManyRequests:
			title, detail = "error.toomany.title", "error.toomany.detail"
		default:
			title, detail = "error.internal.title", "error.internal.detail"
		}
	default:
		switch apperr.CodeOf(err) {
		case apperr.NotFound, apperr.Forbidden:
			status, title, detail = fiber.StatusNotFound, "error.notfound.title", "error.notfound.detail"
		case apperr.Conflict, apperr.PreconditionFailed, apperr.Invalid:
			status, title, detail = fiber.StatusConflict, "error.conflict.title", "error.conflict.detail"
		case apperr.Unavailable:
			status, title, detail = fiber.StatusServiceUnavailable, "error.unavailable.title", "error.unavailable.detail"
		case apperr.TooMany:
			status, title, detail = fiber.StatusTooManyRequests, "error.toomany.title", "error.toomany.detail"
		}
	}
	if status >= 500 {
		c.Logger.Error("console request failed", "path", ctx.Path(), "method", ctx.Method(), "error", err.Error())
	}
	v := c.page(ctx, title, "", nil)
	v.Data = errorView{Status: status, Detail: v.T(detail)}
	if ae, ok := apperr.As(err); ok && status == fiber.StatusConflict {
		v.Data = errorView{Status: status, Detail: ae.In(string(v.Lang))}
	}
	if ctx.Get("HX-Request") == "true" {
		// An htmx swap shows the message where the fragment would go.
		ctx.Set("HX-Retarget", "#messages")
		ctx.Set("HX-Reswap", "innerHTML")
		ctx.Request().Header.Set("HX-Target", "messages")
	}
	return c.render(ctx, status, "error", v)
}

type errorView struct {
	Status int
	Detail string
}
