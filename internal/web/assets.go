package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed static/app.css static/app.js static/vendor/htmx.min.js
var staticFS embed.FS

// asset is one static file, served under a name that holds its content's
// hash, so it can be cached for a year and is fetched again when it changes.
type asset struct {
	body []byte
	typ  string
}

type assets struct {
	byName map[string]asset  // hashed name → file
	url    map[string]string // file name → /static/hashed name
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]asset{}, url: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		base := path.Base(p)
		ext := path.Ext(base)
		hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		typ := mime.TypeByExtension(ext)
		if ext == ".js" {
			typ = "text/javascript; charset=utf-8"
		}
		a.byName[hashed] = asset{body: body, typ: typ}
		a.url[base] = "/static/" + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return a, nil
}

// URL is the address of a static file by its plain name ("app.css").
func (a *assets) URL(name string) string { return a.url[name] }

// static serves a static file with long cache headers, compressed when the
// browser accepts it.
func (c *Console) static(ctx *fiber.Ctx) error {
	as, ok := c.assets.byName[ctx.Params("name")]
	if !ok {
		return fiber.ErrNotFound
	}
	ctx.Set(fiber.HeaderContentType, as.typ)
	ctx.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	ctx.Set("X-Content-Type-Options", "nosniff")
	return ctx.Send(as.body)
}
