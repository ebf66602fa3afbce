package access

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
)

// InvitationLifetime is how long the link of an invitation may be used:
// people read such e-mails days later.
const InvitationLifetime = 7 * 24 * time.Hour

// InvitationMailer sends a new user the e-mail that welcomes them with a
// login link; the notification service is one.
type InvitationMailer interface {
	MailInvitation(ctx context.Context, u User, linkID, secret, next, inviter, organisation string) error
}

// Team is how a coordinator manages the organisation's people (invite,
// change a role, deactivate) and the API keys of its partner agencies.
// Every use case is the coordinator's: apperr.Forbidden for anyone else.
type Team struct {
	Store  Store
	Logins *Logins
	Mailer InvitationMailer
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (t *Team) now() time.Time {
	if t.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return t.Now().UTC().Truncate(time.Millisecond)
}

func coordinatorOnly(who Principal) error {
	if who.Role != Coordinator {
		return apperr.New(apperr.Forbidden, "Only a coordinator manages the team.").FR("Seul un coordinateur gère l'équipe.")
	}
	return nil
}

// InvitedRoles are the roles a coordinator invites people into.
var InvitedRoles = []Role{Adviser, Coordinator, Mentor}

// Invitee is who a coordinator invites.
type Invitee struct {
	Name  string
	Email string
	Role  Role
	Phone string
}

// CheckInvitee reports every bad field of an invitee (apperr.Invalid), or
// an address another user has (apperr.Conflict on /email).
func (t *Team) CheckInvitee(ctx context.Context, in Invitee) error {
	var bad []apperr.FieldError
	if strings.TrimSpace(in.Name) == "" || len(in.Name) > 100 {
		bad = append(bad, apperr.FieldError{Pointer: "/name", Tag: "required", Detail: "Give the person's name.", DetailFR: "Indiquez le nom de la personne."})
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != strings.TrimSpace(in.Email) {
		bad = append(bad, apperr.FieldError{Pointer: "/email", Tag: "email", Detail: "Give a valid e-mail address.", DetailFR: "Indiquez une adresse e-mail valide."})
	}
	valid := false
	for _, r := range InvitedRoles {
		valid = valid || in.Role == r
	}
	if !valid {
		bad = append(bad, apperr.FieldError{Pointer: "/role", Tag: "oneof", Detail: "Choose adviser, coordinator or mentor.", DetailFR: "Choisissez conseiller, coordinateur ou mentor."})
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Some fields are invalid.").FR("Certains champs ne sont pas valides.")
	}
	_, err := t.Store.UserByEmail(ctx, NormaliseEmail(in.Email))
	switch {
	case err == nil:
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/email", Tag: "unique", Detail: "Someone already has an account with this address.",
			DetailFR: "Quelqu'un a déjà un compte avec cette adresse."}}, "The address is taken.").FR("L'adresse est déjà prise.")
	case !apperr.Is(err, apperr.NotFound):
		return err
	}
	return nil
}

// Invite creates the invitee's account in who's organisation and sends
// them an invitation whose link (valid InvitationLifetime) logs them in.
// Nothing is created when a field is bad (see CheckInvitee).
func (t *Team) Invite(ctx context.Context, who Principal, in Invitee) (User, error) {
	if err := coordinatorOnly(who); err != nil {
		return User{}, err
	}
	in.Email = strings.TrimSpace(in.Email)
	if err := t.CheckInvitee(ctx, in); err != nil {
		return User{}, err
	}
	now := t.now()
	u := User{ID: ids.NewAt("usr", now), OrganisationID: who.OrganisationID, Name: strings.TrimSpace(in.Name), Email: in.Email,
		Phone: strings.TrimSpace(in.Phone), Role: in.Role, CreatedAt: now}
	if err := t.Store.CreateUser(ctx, u); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return User{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/email", Tag: "unique", Detail: "Someone already has an account with this address.",
				DetailFR: "Quelqu'un a déjà un compte avec cette adresse."}}, "The address is taken.").FR("L'adresse est déjà prise.")
		}
		return User{}, err
	}
	return u, t.invite(ctx, who, u, now)
}

// Reinvite sends a new invitation to a user of who's organisation.
func (t *Team) Reinvite(ctx context.Context, who Principal, userID string) (User, error) {
	u, err := t.member(ctx, who, userID)
	if err != nil {
		return u, err
	}
	return u, t.invite(ctx, who, u, t.now())
}

func (t *Team) invite(ctx context.Context, who Principal, u User, now time.Time) error {
	link, secret, err := t.Logins.newLink(ctx, u, "", now, InvitationLifetime)
	if err != nil {
		return err
	}
	inviter, err := t.Store.User(ctx, who.UserID)
	if err != nil {
		return err
	}
	org, err := t.Store.Organisation(ctx, who.OrganisationID)
	if err != nil {
		return err
	}
	return t.Mailer.MailInvitation(ctx, u, link.ID, secret, link.Next, inviter.Name, org.Name)
}

// member returns a user of who's organisation, never who themselves for a
// change: apperr.NotFound for another organisation's.
func (t *Team) member(ctx context.Context, who Principal, userID string) (User, error) {
	if err := coordinatorOnly(who); err != nil {
		return User{}, err
	}
	u, err := t.Store.User(ctx, userID)
	if err != nil {
		return u, err
	}
	if u.OrganisationID != who.OrganisationID {
		return User{}, apperr.NotFoundf("No such user.").FR("Cet utilisateur n'existe pas.")
	}
	return u, nil
}

func notYourself() error {
	return apperr.New(apperr.Conflict, "You cannot change your own account here: ask another coordinator.").
		FR("Vous ne pouvez pas changer votre propre compte ici : demandez à un autre coordinateur.")
}

// ChangeRole gives a user of who's organisation another role. Their
// sessions end, so the new role applies at their next login.
func (t *Team) ChangeRole(ctx context.Context, who Principal, userID string, role Role) (User, error) {
	u, err := t.member(ctx, who, userID)
	if err != nil {
		return u, err
	}
	if u.ID == who.UserID {
		return u, notYourself()
	}
	valid := false
	for _, r := range InvitedRoles {
		valid = valid || role == r
	}
	if !valid || u.Role == Agency {
		return u, apperr.Invalidf([]apperr.FieldError{{Pointer: "/role", Tag: "oneof", Detail: "Choose adviser, coordinator or mentor.",
			DetailFR: "Choisissez conseiller, coordinateur ou mentor."}}, "Unknown role.").FR("Rôle inconnu.")
	}
	u.Role = role
	if err := t.Store.ReplaceUser(ctx, u); err != nil {
		return u, err
	}
	return u, t.Logins.Store.DeleteUserSessions(ctx, u.ID)
}

// SetActive deactivates (or reactivates) a user of who's organisation. A
// deactivated user's sessions end and their API keys are revoked; they
// can no longer log in.
func (t *Team) SetActive(ctx context.Context, who Principal, userID string, active bool) (User, error) {
	u, err := t.member(ctx, who, userID)
	if err != nil {
		return u, err
	}
	if u.ID == who.UserID {
		return u, notYourself()
	}
	now := t.now()
	if active {
		u.DeactivatedAt = nil
	} else if u.DeactivatedAt == nil {
		u.DeactivatedAt = &now
	}
	if err := t.Store.ReplaceUser(ctx, u); err != nil {
		return u, err
	}
	if active {
		return u, nil
	}
	if err := t.Logins.Store.DeleteUserSessions(ctx, u.ID); err != nil {
		return u, err
	}
	keys, err := t.Store.Keys(ctx, u.OrganisationID)
	if err != nil {
		return u, err
	}
	for _, k := range keys {
		if k.UserID == u.ID && k.RevokedAt == nil {
			if err := t.Store.RevokeKey(ctx, k.ID, now); err != nil {
				return u, err
			}
		}
	}
	return u, nil
}

// Partner is an agency a programme registered, with its keys.
type Partner struct {
	Organisation Organisation
	Keys         []Key
	Users        []User
}

// Partners lists the agencies who's organisation registered, with their
// API keys.
func (t *Team) Partners(ctx context.Context, who Principal) ([]Partner, error) {
	if err := coordinatorOnly(who); err != nil {
		return nil, err
	}
	orgs, err := t.Store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	var out []Partner
	for _, o := range orgs {
		if o.Partner != who.OrganisationID {
			continue
		}
		keys, err := t.Store.Keys(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		users, err := t.Store.Users(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, Partner{Organisation: o, Keys: keys, Users: users})
	}
	return out, nil
}

// AgencyKey is what a coordinator gives to register an agency's key: the
// agency (registered on first use), a label for the key, and the address
// its news goes to (optional).
type AgencyKey struct {
	Agency, Label, Contact string
}

// CreateAgencyKey registers the agency (as who's partner) if it is new,
// creates a user of role agency for its integration, and a key; it
// returns the key's secret, shown once. An agency another programme
// registered is refused (apperr.Conflict).
func (t *Team) CreateAgencyKey(ctx context.Context, who Principal, in AgencyKey) (string, Key, error) {
	if err := coordinatorOnly(who); err != nil {
		return "", Key{}, err
	}
	in.Agency, in.Label, in.Contact = strings.TrimSpace(in.Agency), strings.TrimSpace(in.Label), strings.TrimSpace(in.Contact)
	var bad []apperr.FieldError
	if in.Agency == "" || len(in.Agency) > 120 {
		bad = append(bad, apperr.FieldError{Pointer: "/agency", Tag: "required", Detail: "Give the agency's name.", DetailFR: "Indiquez le nom de l'agence."})
	}
	if len(in.Label) > 80 {
		bad = append(bad, apperr.FieldError{Pointer: "/label", Tag: "max", Detail: "80 characters at most.", DetailFR: "80 caractères au plus."})
	}
	if in.Contact != "" {
		if a, err := mail.ParseAddress(in.Contact); err != nil || a.Address != in.Contact {
			bad = append(bad, apperr.FieldError{Pointer: "/contact", Tag: "email", Detail: "Give a valid e-mail address.", DetailFR: "Indiquez une adresse e-mail valide."})
		} else if _, err := t.Store.UserByEmail(ctx, NormaliseEmail(in.Contact)); err == nil {
			bad = append(bad, apperr.FieldError{Pointer: "/contact", Tag: "unique", Detail: "Someone already has an account with this address.",
				DetailFR: "Quelqu'un a déjà un compte avec cette adresse."})
		}
	}
	if len(bad) > 0 {
		return "", Key{}, apperr.Invalidf(bad, "Some fields are invalid.").FR("Certains champs ne sont pas valides.")
	}
	now := t.now()
	org, err := t.Store.OrganisationByName(ctx, in.Agency)
	switch {
	case apperr.Is(err, apperr.NotFound):
		org = Organisation{ID: ids.NewAt("org", now), Name: in.Agency, Kind: "agency", Partner: who.OrganisationID, CreatedAt: now}
		if err := t.Store.CreateOrganisation(ctx, org); err != nil {
			return "", Key{}, err
		}
	case err != nil:
		return "", Key{}, err
	case org.Partner != who.OrganisationID:
		return "", Key{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/agency", Tag: "unique", Detail: "Another organisation registered an agency of this name.",
			DetailFR: "Une autre organisation a enregistré une agence de ce nom."}}, "The agency is not yours.").FR("Cette agence n'est pas la vôtre.")
	}
	label := in.Label
	if label == "" {
		label = "API"
	}
	u := User{ID: ids.NewAt("usr", now), OrganisationID: org.ID, Name: in.Agency + " — " + label, Email: in.Contact, Role: Agency, CreatedAt: now}
	if err := t.Store.CreateUser(ctx, u); err != nil {
		return "", Key{}, err
	}
	return KeyFor(ctx, t.Store, u, label, now, func(p string) string { return ids.NewAt(p, now) })
}

// RevokeKey revokes a key of who's organisation or of one of its partner
// agencies; any other is apperr.NotFound.
func (t *Team) RevokeKey(ctx context.Context, who Principal, keyID string) error {
	if err := coordinatorOnly(who); err != nil {
		return err
	}
	orgs := map[string]bool{who.OrganisationID: true}
	partners, err := t.Partners(ctx, who)
	if err != nil {
		return err
	}
	for _, p := range partners {
		orgs[p.Organisation.ID] = true
	}
	for org := range orgs {
		keys, err := t.Store.Keys(ctx, org)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.ID == keyID {
				return t.Store.RevokeKey(ctx, k.ID, t.now())
			}
		}
	}
	return apperr.NotFoundf("No such key.").FR("Cette clé n'existe pas.")
}
