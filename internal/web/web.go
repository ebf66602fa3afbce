// Package web serves Parcours' console: the screens advisers, mentors and
// coordinators work in, in French (English by choice), accessible, on the
// same address as the API. It is one more adapter over the services of
// package app: a handler decodes a form (through the API's own input
// types and validator), calls a service, and renders a template; no rule
// lives here.
//
// Pages render on the server with html/template, parsed once from the
// embedded files; htmx 2 (vendored, pinned by sha256) swaps fragments, and
// every core form works without JavaScript. A handler answers the whole
// page, or the fragment an htmx request targets, from the same data.
// People log in with e-mail magic links; sessions live in the store, the
// browser keeps an HttpOnly cookie; every state-changing form carries a
// CSRF token; a Content-Security-Policy with a nonce per response forbids
// any script but ours.
package web

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/internal/devstack"
	"github.com/parcours-emploi/parcours/internal/httpapi"
)

// Deps are what the console needs.
type Deps struct {
	Services *app.Services
	// Inputs decodes and validates forms as the API decodes bodies.
	Inputs *httpapi.Inputs
	// PublicURL is the console's address as people reach it; a https one
	// makes the cookies Secure.
	PublicURL string
	// Dev, set in dev only, serves the demo's persona logins and the mail
	// the embedded SMTP server received.
	Dev *Dev
	// LinkRequestsPerClient bounds the login links one client (address)
	// may ask for per hour (0: 20).
	LinkRequestsPerClient int
	Logger                *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Dev holds what only dev serves.
type Dev struct {
	// Mail is the embedded SMTP server whose messages /dev/courriels shows.
	Mail *devstack.SMTP
	// Personas are one-click logins by name: the user and the secret the
	// URL carries.
	Personas map[string]Persona
}

// Persona is a demo user one may log in as in dev.
type Persona struct {
	UserID string
	Secret string
}

// Console is the console's handlers over the services.
type Console struct {
	Deps
	svc     *app.Services
	pages   *pages
	assets  *assets
	i18n    *catalogue
	secure  bool
	limiter *clientLimiter
	known   knownValues
}

// New parses the templates and catalogues and returns the console.
func New(d Deps) (*Console, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.LinkRequestsPerClient <= 0 {
		d.LinkRequestsPerClient = 20
	}
	cat, err := loadCatalogue()
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	c := &Console{Deps: d, svc: d.Services, i18n: cat, assets: as, limiter: newClientLimiter(d.LinkRequestsPerClient, time.Hour)}
	if c.pages, err = parsePages(c.funcs()); err != nil {
		return nil, err
	}
	if u, err := url.Parse(d.PublicURL); err == nil && u.Scheme == "https" {
		c.secure = true
	}
	return c, nil
}

var _ httpapi.Console = (*Console)(nil)

// Routes adds the console's routes to the app. Each route names its whole
// chain: in Fiber a group's middleware would run for every later route.
func (c *Console) Routes(a *fiber.App) {
	base := []fiber.Handler{compress.New(compress.Config{Level: compress.LevelBestSpeed}), c.headers, c.session}
	with := func(extra ...fiber.Handler) func(method, path string, h ...fiber.Handler) {
		return func(method, path string, h ...fiber.Handler) {
			chain := append(append(append([]fiber.Handler{}, base...), extra...), h...)
			a.Add(method, path, chain...)
		}
	}
	public := with()
	in := with(c.loggedIn)
	staff := with(c.loggedIn, c.allow(access.Adviser, access.Coordinator))
	mentor := with(c.loggedIn, c.allow(access.Mentor))
	coordinator := with(c.loggedIn, c.allow(access.Coordinator))
	agency := with(c.loggedIn, c.allow(access.Agency))
	const get, post = fiber.MethodGet, fiber.MethodPost

	a.Get("/static/:name", base[0], c.static)
	public(get, "/", c.root)
	public(get, "/connexion", c.loginPage)
	public(post, "/connexion", c.checkCSRF, c.requestLink)
	public(get, "/connexion/envoye", c.linkSentPage)
	public(get, "/connexion/lien/:secret", c.linkPage)
	public(post, "/connexion/lien/:secret", c.checkCSRF, c.consumeLink)
	public(get, "/accessibilite", c.accessibilityPage)
	public(post, "/langue", c.checkCSRF, c.setLanguage)

	in(post, "/deconnexion", c.checkCSRF, c.logout)
	in(get, "/compte", c.accountPage)
	in(post, "/compte/deconnexion-partout", c.checkCSRF, c.logoutEverywhere)
	in(post, "/compte/notifications", c.checkCSRF, c.chooseNotices)
	public(get, "/desabonnement/:user/:kind/:token", c.unsubscribePage)
	public(post, "/desabonnement/:user/:kind/:token", c.unsubscribe)
	public(get, "/signature/:doc/:party/:token", c.signaturePage)
	public(post, "/signature/:doc/:party/:token", c.sign)
	public(get, "/bilan/:doc/:token", c.assessmentPage)
	public(post, "/bilan/:doc/:token", c.assess)

	mentor(get, "/mentor", c.mentorHome)
	mentor(get, "/mentor/propositions/:id", c.mentorProposalPage)
	mentor(post, "/mentor/propositions/:id/accepter", c.checkCSRF, c.mentorAccept)
	mentor(post, "/mentor/propositions/:id/decliner", c.checkCSRF, c.mentorDecline)
	mentor(get, "/mentor/mentorats/:id", c.mentorshipPage)
	mentor(post, "/mentor/mentorats/:id/rencontres", c.checkCSRF, c.logMeeting)

	agency(get, "/agence", c.agencyPage)
	agency(post, "/agence/propositions/:id/:answer", c.checkCSRF, c.agencyAnswer)

	staff(get, "/accueil", c.homePage)
	staff(get, "/metiers", c.trades)
	staff(get, "/structures", c.hosts)
	staff(get, "/beneficiaires", c.beneficiariesPage)
	staff(get, "/beneficiaires/nouveau", c.newBeneficiaryPage)
	staff(post, "/beneficiaires", c.checkCSRF, c.createBeneficiary)
	staff(get, "/beneficiaires/:id", c.beneficiaryPage)
	staff(get, "/beneficiaires/:id/modifier", c.editBeneficiaryPage)
	staff(post, "/beneficiaires/:id", c.checkCSRF, c.updateBeneficiary)
	staff(post, "/beneficiaires/:id/situations", c.checkCSRF, c.recordSituation)
	staff(get, "/beneficiaires/:id/equite", c.monitoringPage)
	staff(post, "/beneficiaires/:id/equite", c.checkCSRF, c.recordMonitoring)
	staff(get, "/beneficiaires/:id/situations/:situationId", c.situationPage)
	staff(post, "/beneficiaires/:id/situations/:situationId", c.checkCSRF, c.changeSituation)
	staff(get, "/beneficiaires/:id/conventions/:conventionId/renouvellement", c.renewalPage)
	staff(post, "/beneficiaires/:id/conventions/:conventionId/renouvellement", c.checkCSRF, c.renewConvention)
	staff(get, "/propositions", c.proposalsPage)
	staff(post, "/propositions", c.checkCSRF, c.propose)
	staff(post, "/propositions/selection", c.checkCSRF, c.approveSelected)
	staff(post, "/propositions/:id/:action", c.checkCSRF, c.proposalAction)
	staff(get, "/opportunites", c.opportunitiesPage)
	staff(get, "/opportunites/nouvelle", c.newOpportunityPage)
	staff(post, "/opportunites", c.checkCSRF, c.createOpportunity)
	staff(get, "/opportunites/:id", c.opportunityPage)
	staff(get, "/opportunites/:id/modifier", c.editOpportunityPage)
	staff(post, "/opportunites/:id", c.checkCSRF, c.updateOpportunity)
	staff(post, "/opportunites/:id/fermer", c.checkCSRF, c.closeOpportunity)
	staff(get, "/resultats", c.outcomesPage)
	staff(get, "/resultats.csv", c.outcomesCSV)
	staff(get, "/resultats-sorties.csv", c.exitsCSV)
	coordinator(post, "/resultats/mesure", c.checkCSRF, c.measureNow)
	coordinator(get, "/equipe", c.teamPage)
	coordinator(post, "/equipe/invitations", c.checkCSRF, c.invite)
	coordinator(post, "/equipe/cles", c.checkCSRF, c.createKey)
	coordinator(post, "/equipe/cles/:id/revoquer", c.checkCSRF, c.revokeKey)
	coordinator(post, "/equipe/:id/:action", c.checkCSRF, c.teamAction)
	coordinator(get, "/dispositifs", c.programmesPage)
	coordinator(post, "/dispositifs", c.checkCSRF, c.createProgramme)
	coordinator(get, "/dispositifs/:id", c.programmesPage)
	coordinator(post, "/dispositifs/:id", c.checkCSRF, c.createProgramme)
	coordinator(get, "/equite", c.fairnessPage)
	coordinator(get, "/equite.csv", c.fairnessCSV)
	coordinator(get, "/journal", c.auditPage)
	coordinator(get, "/journal.csv", c.auditCSV)
	staff(get, "/lots", c.batchesPage)
	staff(post, "/lots", c.checkCSRF, c.createBatch)
	staff(get, "/lots/:id", c.batchPage)
	staff(get, "/lots/:id/dimacs", c.batchInstance)

	if c.Dev != nil {
		public(get, "/dev/courriels", c.devMailPage)
		public(get, "/dev/persona/:name", c.devPersona)
	}
	// Every other path outside the API is the console's "not found" page.
	notFound := []any{}
	for _, h := range base {
		notFound = append(notFound, h)
	}
	a.Use(append(notFound, func(ctx *fiber.Ctx) error {
		if strings.HasPrefix(ctx.Path(), "/api/") {
			return ctx.Next()
		}
		return fiber.ErrNotFound
	})...)
}

// now is the clock.
func (c *Console) now() time.Time { return c.Now().UTC() }
