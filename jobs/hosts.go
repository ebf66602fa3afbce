package jobs

import (
	"context"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
)

// Host is an establishment that takes people in PMSMP, in an
// organisation's directory: identified by its SIRET, so that another
// spelling of its name is still the same host for the PMSMP rules.
type Host struct {
	OrganisationID string
	// SIRET is the establishment's 14 digits.
	SIRET      string
	Name       string
	Address    string
	Department string
	// NAF is the activity code ("56.10A").
	NAF   string
	Tutor Tutor
	// Notes are the organisation's own.
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Tutor is who welcomes and follows the person at the host.
type Tutor struct {
	Name  string
	Role  string
	Email string
	Phone string
}

// HostStore keeps the organisations' directories of hosts.
type HostStore interface {
	// CreateHost inserts h: apperr.Conflict when the organisation has a
	// host with this SIRET already.
	CreateHost(ctx context.Context, h Host) error
	// Host returns org's host of this SIRET: apperr.NotFound if none.
	Host(ctx context.Context, org, siret string) (Host, error)
	// Hosts returns a page of org's hosts whose name or SIRET starts with
	// the folded words q (every host for ""), by SIRET.
	Hosts(ctx context.Context, org, q, after string, limit int) ([]Host, string, error)
	// HostConventions returns org's conventions with the host (its SIRET),
	// oldest first.
	HostConventions(ctx context.Context, org, hostID string) ([]Convention, error)
}

// invalidSIRET is the apperr.Invalid of a SIRET that is not one, at ptr.
func invalidSIRET(ptr string) error {
	return apperr.Invalidf([]apperr.FieldError{{Pointer: ptr, Tag: "siret",
		Detail:   "A SIRET is 14 digits whose checksum holds (spaces allowed).",
		DetailFR: "Un numéro SIRET compte 14 chiffres dont la clé de contrôle est juste (espaces acceptés)."}},
		"Bad SIRET.").FR("Numéro SIRET incorrect.")
}

// CreateHost adds a host to who's organisation's directory: apperr.Invalid
// (/siret) for a SIRET that is not one, apperr.Conflict when the directory
// has it already (under any spelling).
func (s *Service) CreateHost(ctx context.Context, who access.Principal, h Host) (Host, error) {
	siret, ok := NormaliseSIRET(h.SIRET)
	if !ok {
		return Host{}, invalidSIRET("/siret")
	}
	now := s.now()
	h.SIRET, h.OrganisationID, h.CreatedAt, h.UpdatedAt, h.Version = siret, who.OrganisationID, now, now, 1
	h.Name = strings.TrimSpace(h.Name)
	if err := s.Hosts.CreateHost(ctx, h); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Host{}, apperr.Conflictf("Your directory has the host %s already.", siret).
				FR("Votre répertoire a déjà la structure d'accueil %s.", siret)
		}
		return Host{}, err
	}
	return h, nil
}

// FindHosts returns a page of who's organisation's hosts found by the start
// of their name or SIRET.
func (s *Service) FindHosts(ctx context.Context, who access.Principal, q, after string, limit int) ([]Host, string, error) {
	return s.Hosts.Hosts(ctx, who.OrganisationID, q, after, limit)
}

// HostWithConventions is a host and the organisation's conventions with it.
type HostWithConventions struct {
	Host        Host
	Conventions []Convention
}

// Host reads a host of who's organisation's directory by its SIRET, under
// any spelling, with the conventions people entered with it.
func (s *Service) Host(ctx context.Context, who access.Principal, siret string) (HostWithConventions, error) {
	d, ok := NormaliseSIRET(siret)
	if !ok {
		return HostWithConventions{}, apperr.NotFoundf("No host %s in your directory.", siret).FR("Aucune structure d'accueil %s dans votre répertoire.", siret)
	}
	h, err := s.Hosts.Host(ctx, who.OrganisationID, d)
	if err != nil {
		return HostWithConventions{}, err
	}
	convs, err := s.Hosts.HostConventions(ctx, who.OrganisationID, d)
	if err != nil {
		return HostWithConventions{}, err
	}
	return HostWithConventions{Host: h, Conventions: convs}, nil
}
